/**
 * @krypton/hl7 — HL7 v2 parsing, mapping and acknowledgement, without I/O.
 *
 * Hand-written rather than @medplum/hl7: that package is not installed in this tree and cannot be
 * added now, and the hub needs exactly what it does not do for us — MSH-18 decoding from raw bytes
 * (ISO 8859-1 senders are common in French hospitals), typed errors carrying the ERR-3 code and
 * location, and tolerance of LF separators. The parser stays small: split, unescape, no schema.
 */
export * from './hl7-error';
export * from './separators';
export * from './charset';
export * from './escape';
export * from './hl7-message';
export * from './hl7-parser';
export * from './message-support';
export * from './patient-reader';
export * from './order-mapper';
export * from './adt-mapper';
export * from './ack-builder';
