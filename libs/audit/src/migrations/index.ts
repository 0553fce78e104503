import { Audit1767300000001 } from './1767300000001-audit';
import { AuditSpool1767750000000 } from './1767750000000-audit-spool';
import { AuditWorkflowDoor1767770000000 } from './1767770000000-audit-workflow-door';
import { AuditChainPerStatement1768160000000 } from './1768160000000-audit-chain-per-statement';

/** The append-only, hash-chained audit trail. */
export const AUDIT_MIGRATIONS = [Audit1767300000001, AuditSpool1767750000000, AuditWorkflowDoor1767770000000, AuditChainPerStatement1768160000000];
