/**
 * @krypton/hl7 — HL7 v2 for the hub: parsing, mapping, ACK and ORU rendering, and the MLLP sender.
 *
 * Built on @medplum/core's Hl7Message (the split into segments, fields, repetitions, components)
 * and @medplum/hl7's Hl7Client (outbound MLLP). Kept here, each with its reason beside it: the
 * MSH-18 decoding of raw bytes (charset.ts), escape sequences (escape.ts), the checks that turn a
 * bad message into an ERR-3 code and location (hl7-error.ts, hl7-parser.ts), and the ACK and ORU
 * templates. All of it is pure but `mllp/` (sockets), the template loaders (files) and `journal/`
 * (the `hl7_message` table the HL7 gateway writes, with its migration in `migrations/`); since the
 * package pulls in node:net and TypeORM, workflow code must not import it.
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
export * from './segment-template';
export * from './oru/oru-input';
export * from './oru/oru-builder';
export * from './mllp/mllp-errors';
export * from './mllp/mllp-sender';
export * from './journal/hl7-message.store';
