import { Audit1767300000001 } from './1767300000001-audit';

/** The append-only, hash-chained audit trail. */
export const AUDIT_MIGRATIONS = [Audit1767300000001];
