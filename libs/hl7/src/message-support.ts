import { HL7_ERROR_CODES, Hl7Error } from './hl7-error';
import { MshHeader } from './hl7-message';

/** How the gateway handles each accepted message type. */
export type MessageRole = 'order' | 'adt';

/** Message types the hub accepts, by MSH-9.1 then MSH-9.2. */
const SUPPORTED: Record<string, Record<string, MessageRole>> = {
  ORM: { O01: 'order' },
  OMI: { O23: 'order' },
  ADT: { A08: 'adt', A40: 'adt' },
};

/**
 * Checks the message type and version before anything else is read, so that an unsupported
 * message is rejected (AR) with the precise code (200 type, 201 event, 203 version) rather than
 * failing later on a segment it was never meant to have.
 */
export function messageRole(h: Pick<MshHeader, 'messageCode' | 'triggerEvent' | 'version'>): MessageRole {
  // v2.1 to v2.8 share the segment layouts read here; v3 and unknown versions do not.
  if (h.version && !/^2\.[1-9](\.\d+)?$/.test(h.version)) {
    throw new Hl7Error(HL7_ERROR_CODES.unsupportedVersion, `version "${h.version}" in MSH-12 is not supported (2.x)`, { segment: 'MSH', field: 12 }, true);
  }
  const events = SUPPORTED[h.messageCode];
  if (!events) {
    throw new Hl7Error(HL7_ERROR_CODES.unsupportedMessageType, `message type "${h.messageCode}" is not supported (ORM^O01, OMI^O23, ADT^A08, ADT^A40)`, { segment: 'MSH', field: 9 }, true);
  }
  const role = events[h.triggerEvent];
  if (!role) {
    throw new Hl7Error(
      HL7_ERROR_CODES.unsupportedEventCode,
      `event "${h.messageCode}^${h.triggerEvent}" is not supported (${Object.keys(events)
        .map((e) => `${h.messageCode}^${e}`)
        .join(', ')})`,
      { segment: 'MSH', field: 9, component: 2 },
      true,
    );
  }
  return role;
}
