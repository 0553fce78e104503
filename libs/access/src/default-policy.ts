import type { AccessAction, DoseScope, ExamScope, ResourceType } from '@krypton/config';

/** A role's (or a peer kind's) effective rules. */
export interface RolePolicy {
  readonly exams: readonly ExamScope[];
  readonly dose: readonly DoseScope[];
  readonly audit: 'all' | 'own' | 'none';
  readonly permissions: Readonly<Partial<Record<ResourceType, readonly AccessAction[]>>>;
  readonly emergency: boolean;
}

const READ: AccessAction[] = ['search', 'read-metadata', 'read-pixels', 'download'];
const LOOK: AccessAction[] = ['search', 'read-metadata'];
const NOTHING: RolePolicy = { exams: [], dose: [], audit: 'none', permissions: {}, emergency: false };

/**
 * The built-in defaults of issue #10, overridable key by key per role in `access.roles` of the
 * YAML. Role names not listed here (none today) get nothing: the model fails closed.
 */
export const DEFAULT_ROLE_POLICIES: Readonly<Record<string, RolePolicy>> = {
  admin: {
    exams: ['all'],
    dose: ['all'],
    audit: 'all',
    permissions: {
      study: [...READ, 'send', 'write', 'administer'],
      request: [...LOOK, 'write', 'administer'],
      report: [...LOOK, 'download', 'write'],
      'reading-task': [...LOOK, 'write'],
      'dose-record': LOOK,
      'dose-analysis': [...LOOK, 'download'],
      'dose-alert': [...LOOK, 'write'],
      acquisition: [...LOOK, 'write'],
      worklist: LOOK,
      audit: LOOK,
      'emergency-access': [],
      research: [...LOOK, 'download'],
      routing: [...LOOK, 'write', 'administer'],
      administration: [...LOOK, 'administer'],
    },
    emergency: false,
  },
  // The data protection officer and auditors read the trail, and nothing it is about.
  auditor: { ...NOTHING, audit: 'all', permissions: { audit: LOOK } },
  dpo: { ...NOTHING, audit: 'all', permissions: { audit: LOOK } },
  coordinator: {
    exams: ['site'],
    dose: ['exams'],
    audit: 'none',
    permissions: {
      study: [...READ, 'send', 'write'],
      request: [...LOOK, 'write'],
      report: [...LOOK, 'download'],
      'reading-task': [...LOOK, 'write'],
      'dose-record': LOOK,
      'dose-analysis': [...LOOK, 'download'],
      'dose-alert': [...LOOK, 'write'],
      acquisition: [...LOOK, 'write'],
      'emergency-access': ['write'],
      // Routing protocols and destination queues: read, and operator actions on waiting forwardings.
      routing: [...LOOK, 'write'],
      administration: LOOK,
    },
    emergency: true,
  },
  radiologist: {
    exams: ['site', 'pool', 'shared'],
    dose: ['exams'],
    audit: 'none',
    permissions: {
      study: [...READ, 'send', 'write'],
      request: LOOK,
      report: [...LOOK, 'download', 'write'],
      'reading-task': [...LOOK, 'write'],
      'dose-record': LOOK,
      'dose-alert': [...LOOK, 'write'],
      'emergency-access': ['write'],
    },
    emergency: true,
  },
  physicist: {
    exams: ['site'],
    dose: ['site'],
    audit: 'none',
    permissions: {
      study: ['search', 'read-metadata', 'read-pixels'],
      'dose-record': LOOK,
      'dose-analysis': [...LOOK, 'download'],
      'dose-alert': [...LOOK, 'write'],
      'emergency-access': ['write'],
    },
    emergency: true,
  },
  // A site account (a PACS operator of a site): the exams of its site.
  site: {
    exams: ['site'],
    dose: [],
    audit: 'none',
    permissions: { study: READ, request: LOOK, report: [...LOOK, 'download'] },
    emergency: false,
  },
  referrer: {
    exams: ['requested', 'shared'],
    dose: [],
    audit: 'none',
    permissions: {
      study: READ,
      request: [...LOOK, 'write'],
      report: [...LOOK, 'download'],
      'emergency-access': ['write'],
    },
    emergency: true,
  },
  patient: {
    exams: ['own'],
    dose: ['own'],
    audit: 'own',
    permissions: { study: READ, report: [...LOOK, 'download'], 'dose-record': ['read-metadata'], audit: ['search'] },
    emergency: false,
  },
  // Research works on projects: cohort counts and de-identified deliveries (issue #12), never identified data.
  researcher: { ...NOTHING, permissions: { research: [...LOOK, 'write', 'download'] } },
  // The data-access committee decides on research projects and reads their manifests.
  'data-access-committee': { ...NOTHING, permissions: { research: [...LOOK, 'administer'] } },
};

/**
 * DIMSE peers, by `aes[].kind`: each sees the exams of its own site. Modalities query their
 * worklist and fetch priors; PACS and workstations query and retrieve; a PACS may also move its
 * site's studies to another site's AE (`send`).
 */
export const DEFAULT_PEER_POLICIES: Readonly<Record<string, RolePolicy>> = {
  modality: { ...NOTHING, exams: ['site'], permissions: { study: READ, worklist: LOOK } },
  pacs: { ...NOTHING, exams: ['site'], permissions: { study: [...READ, 'send'] } },
  workstation: { ...NOTHING, exams: ['site'], permissions: { study: READ } },
  other: NOTHING,
};
