/**
 * The one shape of an electronic exam request, whichever door it came through (REST, FHIR
 * ServiceRequest, HL7 ORM^O01 / OMI^O23). Each door validates its own format at the edge and
 * produces this; RequestService takes it from there (idempotent creation, pathway start).
 */
export type RequestPriority = 'routine' | 'urgent' | 'emergency';
/** `unscheduled`: registered by a coordinator from a study that arrived with no request. */
export type RequestSource = 'rest' | 'fhir' | 'hl7' | 'unscheduled';

export interface PatientIdentifier {
  /** Local identifier value (PID-3.1). */
  readonly value: string;
  /** Assigning authority (PID-3.4), e.g. a FINESS or an OID. */
  readonly issuer: string;
}

export interface RequestPatient {
  /** National health identifier (INS-NIR), 15 digits, when known. */
  readonly ins?: string;
  readonly identifiers: readonly PatientIdentifier[];
  readonly familyName: string;
  readonly givenName?: string;
  /** YYYYMMDD */
  readonly birthDate?: string;
  readonly sex?: 'M' | 'F' | 'O' | 'U';
}

export interface RequestReferrer {
  /** RPPS number when known. */
  readonly rpps?: string;
  readonly name: string;
  /** FINESS or name of the referrer's organisation. */
  readonly organisation?: string;
}

export interface NewRequest {
  readonly source: RequestSource;
  /** Placer order number (ORC-2 / OBR-2 in HL7, identifier in FHIR); with the source system, the idempotency key. */
  readonly placerOrderNumber?: string;
  /** Sending application/facility (MSH-3/MSH-4) for HL7; client id for REST/FHIR. */
  readonly placerSystem?: string;
  readonly patient: RequestPatient;
  readonly referrer: RequestReferrer;
  /** Code from the procedure catalogue in config/; an unknown code is kept and flagged for mapping. */
  readonly procedureCode: string;
  readonly procedureText?: string;
  readonly priority: RequestPriority;
  readonly clinicalInformation?: string;
  /** A site id from the configuration, or null for "any site of the region". */
  readonly targetSite: string | null;
}
