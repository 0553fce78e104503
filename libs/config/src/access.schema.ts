import { z } from 'zod';

/** What a caller does with a resource (issue #10). `administer` covers configuration-level acts. */
export const ACCESS_ACTIONS = ['search', 'read-metadata', 'read-pixels', 'download', 'send', 'write', 'administer'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/**
 * Kinds of resource a door touches. Exam-bound ones (study, request, report, reading-task) are
 * decided against the exam's facts; the others by role only, or by their own facts (dose, audit).
 */
export const RESOURCE_TYPES = [
  'study',
  'request',
  'report',
  'reading-task',
  'dose-record',
  'dose-analysis',
  'dose-alert',
  'acquisition',
  'worklist',
  'audit',
  'emergency-access',
  'research',
  'routing',
  'administration',
  /** Shares, patient links and a patient's opposition to sharing (issue #11). */
  'sharing',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/**
 * Which exams a role reaches: `all`; `site` (exams that came from, or are scheduled at, one of
 * the user's sites); `pool` (exams a reading pool of the user holds a task for, and the priors of
 * those patients); `requested` (the user submitted the request or is its referrer by RPPS);
 * `shared` (an access grant names one of the user's identifiers); `own` (the patient's own exams,
 * by INS, once released to them by a grant).
 */
export const EXAM_SCOPES = ['all', 'site', 'pool', 'requested', 'shared', 'own'] as const;
export type ExamScope = (typeof EXAM_SCOPES)[number];

/** Which patients' dose histories a role reads: `exams` = patients with an exam in its exam scopes. */
export const DOSE_SCOPES = ['all', 'site', 'exams', 'own'] as const;
export type DoseScope = (typeof DOSE_SCOPES)[number];

export const ROLE_NAMES = ['admin', 'auditor', 'dpo', 'coordinator', 'radiologist', 'referrer', 'physicist', 'site', 'patient', 'researcher', 'data-access-committee'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export const AE_KINDS = ['modality', 'pacs', 'workstation', 'other'] as const;

const actions = z.array(z.enum(ACCESS_ACTIONS));
const permissions = z.object(Object.fromEntries(RESOURCE_TYPES.map((t) => [t, actions.optional()])) as Record<ResourceType, z.ZodOptional<typeof actions>>).strict();

/** A role's rules. Every key is optional in the YAML: a key given replaces that key of the built-in default. */
export const rolePolicySchema = z
  .object({
    exams: z.array(z.enum(EXAM_SCOPES)).optional(),
    dose: z.array(z.enum(DOSE_SCOPES)).optional(),
    audit: z.enum(['all', 'own', 'none']).optional(),
    permissions: permissions.optional(),
    /** May open an exam outside these rules with a stated reason (break-the-glass). */
    emergency: z.boolean().optional(),
  })
  .strict();

export const accessConfigSchema = z
  .object({
    /** How long a break-the-glass opening lasts. */
    emergencyMinutes: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(240),
    roles: z
      .object(Object.fromEntries(ROLE_NAMES.map((r) => [r, rolePolicySchema.optional()])) as Record<RoleName, z.ZodOptional<typeof rolePolicySchema>>)
      .strict()
      .default({}),
    /** DIMSE peers by AE kind (`aes[].kind`): scoped to the exams of the AE's site. */
    peers: z
      .object(Object.fromEntries(AE_KINDS.map((k) => [k, rolePolicySchema.optional()])) as Record<(typeof AE_KINDS)[number], z.ZodOptional<typeof rolePolicySchema>>)
      .strict()
      .default({}),
  })
  .strict()
  .default({});

export const auditConfigSchema = z
  .object({
    /** The local spool of audit records (fsynced before the access is served, then drained into PostgreSQL); `<storage.root>/.audit-spool` by default. */
    spoolDir: z.string().optional(),
    /** While the oldest record not yet in PostgreSQL is older than this, new accesses are refused (503, DIMSE 0xA700). */
    maxLagSeconds: z.coerce.number().min(0.1).default(60),
    /** Optional RFC 5424 export (IHE ATNA) of every audit record to a collector. */
    syslog: z
      .object({
        host: z.string().min(1),
        port: z.coerce.number().int().min(1).max(65535).default(514),
        protocol: z.enum(['udp', 'tcp']).default('udp'),
        /** The ATNA audit source id (also the syslog APP-NAME). */
        sourceId: z.string().min(1).default('krypton'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .default({});

export type RolePolicyConfig = z.infer<typeof rolePolicySchema>;
export type AccessConfig = z.infer<typeof accessConfigSchema>;
export type AuditConfig = z.infer<typeof auditConfigSchema>;
