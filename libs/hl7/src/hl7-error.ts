/**
 * HL7 v2.5 table 0357 codes that the hub answers in ERR-3. Only the ones the gateway can actually
 * produce are listed, so a reader of an ACK knows every code below has a code path behind it.
 */
export const HL7_ERROR_CODES = {
  /** Table 0357 code 0: used with severity W for a warning on an accepted message. */
  accepted: 0,
  segmentSequence: 100,
  requiredFieldMissing: 101,
  dataType: 102,
  tableValueNotFound: 103,
  unsupportedMessageType: 200,
  unsupportedEventCode: 201,
  unsupportedVersion: 203,
  applicationInternal: 207,
} as const;

export type Hl7ErrorCode = (typeof HL7_ERROR_CODES)[keyof typeof HL7_ERROR_CODES];

/** Text of each code as table 0357 spells it (ERR-3.2). */
export const HL7_ERROR_TEXT: Record<Hl7ErrorCode, string> = {
  0: 'Message accepted',
  100: 'Segment sequence error',
  101: 'Required field missing',
  102: 'Data type error',
  103: 'Table value not found',
  200: 'Unsupported message type',
  201: 'Unsupported event code',
  203: 'Unsupported version id',
  207: 'Application internal error',
};

/** Where in the message a problem is (ERR-2, type ERL). Field is the HL7 sequence number (MSH-10 → 10). */
export interface Hl7Location {
  readonly segment: string;
  /** 1-based position of the segment among those with the same name (the second OBR → 2). */
  readonly segmentSequence?: number;
  readonly field?: number;
  readonly component?: number;
}

/**
 * A message the hub cannot accept, with what the sender needs to fix it. The gateway turns it into
 * an ACK (AE, or AR when `rejects` is set) with an ERR segment; it is never a bare string so that
 * the ACK, the log line and the stored row say the same thing.
 */
export class Hl7Error extends Error {
  constructor(
    readonly code: Hl7ErrorCode,
    message: string,
    readonly location?: Hl7Location,
    /** True when the whole message is refused as unprocessable (MSA-1 AR) rather than in error (AE). */
    readonly rejects = false,
  ) {
    super(message);
    this.name = 'Hl7Error';
  }

  /** "PID-3" style, for messages and logs. */
  get where(): string | undefined {
    const l = this.location;
    if (!l) return undefined;
    return l.field === undefined ? l.segment : `${l.segment}-${l.field}${l.component ? `.${l.component}` : ''}`;
  }
}

export function requiredFieldMissing(segment: string, field: number, what: string, segmentSequence?: number): Hl7Error {
  return new Hl7Error(HL7_ERROR_CODES.requiredFieldMissing, `${segment}-${field} (${what}) is required`, { segment, field, segmentSequence });
}

export function requiredSegmentMissing(segment: string, context: string): Hl7Error {
  return new Hl7Error(HL7_ERROR_CODES.requiredFieldMissing, `segment ${segment} is required ${context}`, { segment });
}
