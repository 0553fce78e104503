import type { Hl7Context, Hl7Message, Hl7Segment } from '@medplum/core';
import { Hl7Charset } from './charset';
import { unescapeValue } from './escape';

/**
 * Read-only views over @medplum/core's Hl7Message, which does the splitting. The views add what
 * the mappers need and the library does not give: values with their escape sequences resolved in
 * the message's character set, 1-based numbering throughout (the library's subcomponent and
 * repetition indexes are 0-based, and a repetition past the end throws), and each segment's
 * position among those of its name, for ERR-2.
 */

/** One repetition of a field: its components, each a list of subcomponents, unescaped on read. */
export class Hl7Composite {
  constructor(
    /** Components as the library split them; subcomponents are still joined. */
    private readonly components: readonly string[],
    private readonly context: Hl7Context,
    private readonly encoding: Hl7Charset['encoding'],
    /** MSH-1 and MSH-2 hold the separators themselves: neither split nor unescaped. */
    private readonly verbatim = false,
  ) {}

  /** Component `c`, subcomponent `s` (1-based, as the standard numbers them); '' when absent. */
  get(c = 1, s = 1): string {
    if (this.verbatim) return c === 1 && s === 1 ? (this.components[0] ?? '') : '';
    const raw = this.components[c - 1]?.split(this.context.subcomponentSeparator)[s - 1] ?? '';
    return unescapeValue(raw, this.context, this.encoding);
  }

  get isEmpty(): boolean {
    if (this.verbatim) return !this.components[0];
    return this.components.every((c) => c.split(this.context.subcomponentSeparator).every((s) => s === ''));
  }
}

/**
 * A segment as received. Fields are numbered as in the standard; for MSH, field 1 is the field
 * separator and field 2 the encoding characters (the library's `getField` does that offset), so
 * MSH-10 is `value(10)`. Z-segments and segments the hub does not use are kept like any other.
 */
export class ParsedSegment {
  constructor(
    readonly source: Hl7Segment,
    /** 1-based position among the segments of the same name (for ERR-2). */
    readonly sequence: number,
    private readonly encoding: Hl7Charset['encoding'],
  ) {}

  get name(): string {
    return this.source.name;
  }

  /** All repetitions of field `n` that carry a value. */
  repetitions(n: number): readonly Hl7Composite[] {
    return this.all(n).filter((r) => !r.isEmpty);
  }

  /** First repetition of field `n`, or an empty composite. */
  field(n: number): Hl7Composite {
    return this.all(n)[0] ?? new Hl7Composite([], this.source.context, this.encoding);
  }

  value(n: number, c = 1, s = 1): string {
    return this.field(n).get(c, s);
  }

  private all(n: number): Hl7Composite[] {
    if (n < 1) return [];
    if (this.name === 'MSH' && n <= 2) return [new Hl7Composite([this.source.getField(n).toString()], this.source.context, this.encoding, true)];
    const f = this.source.getField(n);
    return f ? f.components.map((rep) => new Hl7Composite(rep, this.source.context, this.encoding)) : [];
  }
}

/** The MSH fields the hub routes, stores and acknowledges by. */
export interface MshHeader {
  readonly sendingApplication: string;
  readonly sendingFacility: string;
  readonly receivingApplication: string;
  readonly receivingFacility: string;
  readonly dateTime: string;
  /** MSH-9.1, e.g. ORM */
  readonly messageCode: string;
  /** MSH-9.2, e.g. O01 */
  readonly triggerEvent: string;
  /** MSH-9.3 when sent, e.g. OMI_O23 */
  readonly messageStructure: string;
  readonly controlId: string;
  readonly processingId: string;
  readonly version: string;
  /** MSH-18 as sent. */
  readonly characterSet: string;
}

/** An inbound message: the library's model, its character set, and the header read once. */
export class ParsedMessage {
  constructor(
    readonly source: Hl7Message,
    readonly charset: Hl7Charset,
    readonly segments: readonly ParsedSegment[],
    readonly header: MshHeader,
  ) {}

  get separators(): Hl7Context {
    return this.source.context;
  }

  /** "ORM^O01" */
  get type(): string {
    return messageType(this.header);
  }

  first(name: string): ParsedSegment | undefined {
    return this.segments.find((s) => s.name === name);
  }

  all(name: string): ParsedSegment[] {
    return this.segments.filter((s) => s.name === name);
  }
}

export function messageType(h: Pick<MshHeader, 'messageCode' | 'triggerEvent'>): string {
  return h.triggerEvent ? `${h.messageCode}^${h.triggerEvent}` : h.messageCode;
}
