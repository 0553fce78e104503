/**
 * The doors through which patient data is reached (issue #10); `workflow` is a step a workflow
 * takes on its own (archive lifecycle, research extraction).
 */
export const AUDIT_DOORS = ['REST', 'DICOMweb', 'viewer', 'DIMSE', 'HL7', 'CLI', 'workflow'] as const;
export type AuditDoor = (typeof AUDIT_DOORS)[number];

/** One access to patient data, allowed or denied, as a door reports it. */
export interface AuditRecord {
  /** User id, `ae:<AE title>` for a DICOM peer, or null when unauthenticated. */
  readonly userId: string | null;
  readonly roles: readonly string[];
  readonly site: string | null;
  /** search, read-metadata, read-pixels, download, send, write, administer, emergency-access, … */
  readonly action: string;
  readonly outcome: 'allowed' | 'denied';
  readonly door: AuditDoor;
  readonly resourceType: string;
  readonly resourceId?: string | null;
  /** Patients concerned: INS when known, else `issuer|patientId`. */
  readonly patients?: readonly string[];
  readonly studies?: readonly string[];
  /** The rule that allowed, or why it was refused. */
  readonly reason?: string | null;
  readonly clientAddress?: string | null;
  readonly detail?: Record<string, unknown> | null;
}

/** A stored record, as read back. */
export interface StoredAuditRecord extends Required<Omit<AuditRecord, 'detail'>> {
  readonly seq: number;
  readonly at: string;
  readonly detail: Record<string, unknown> | null;
  readonly hash: string;
}

/** An access whose audit record could not be made durable: the door refuses it (503). */
export class AuditUnavailableError extends Error {
  constructor(public readonly cause: unknown) {
    super(`the audit trail cannot be written: ${(cause as Error)?.message ?? cause}`);
    this.name = 'AuditUnavailableError';
  }
}
