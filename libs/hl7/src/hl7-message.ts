import { Hl7Charset } from './charset';
import { Hl7Separators } from './separators';

/** One repetition of a field: its components, each a list of subcomponents, all unescaped. */
export class Hl7Composite {
  constructor(readonly components: readonly (readonly string[])[]) {}

  /** Component `c`, subcomponent `s` (1-based, as the standard numbers them); '' when absent. */
  get(c = 1, s = 1): string {
    return this.components[c - 1]?.[s - 1] ?? '';
  }

  get isEmpty(): boolean {
    return this.components.every((c) => c.every((s) => s === ''));
  }
}

/**
 * A segment as received. Fields are indexed by their HL7 sequence number; for MSH that means
 * field 1 is the field separator and field 2 the encoding characters, so MSH-10 is `value(10)`
 * as in the standard. Z-segments and segments the hub does not use are kept like any other.
 */
export class Hl7Segment {
  constructor(
    readonly name: string,
    /** fields[n] = repetitions of field n; fields[0] is unused. */
    readonly fields: readonly (readonly Hl7Composite[])[],
    /** 1-based position among the segments of the same name (for ERR-2). */
    readonly sequence: number,
  ) {}

  repetitions(n: number): readonly Hl7Composite[] {
    return (this.fields[n] ?? []).filter((r) => !r.isEmpty);
  }

  /** First repetition of field `n`, or an empty composite. */
  field(n: number): Hl7Composite {
    return this.fields[n]?.[0] ?? EMPTY;
  }

  value(n: number, c = 1, s = 1): string {
    return this.field(n).get(c, s);
  }
}

const EMPTY = new Hl7Composite([]);

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

export class Hl7Message {
  constructor(
    readonly separators: Hl7Separators,
    readonly charset: Hl7Charset,
    readonly segments: readonly Hl7Segment[],
    readonly header: MshHeader,
  ) {}

  /** "ORM^O01" */
  get type(): string {
    return messageType(this.header);
  }

  first(name: string): Hl7Segment | undefined {
    return this.segments.find((s) => s.name === name);
  }

  all(name: string): Hl7Segment[] {
    return this.segments.filter((s) => s.name === name);
  }
}

export function messageType(h: Pick<MshHeader, 'messageCode' | 'triggerEvent'>): string {
  return h.triggerEvent ? `${h.messageCode}^${h.triggerEvent}` : h.messageCode;
}
