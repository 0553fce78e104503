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
/** Sharing: list one's shares and links (search, read-metadata), make and revoke them (write). */
const SHARE: AccessAction[] = ['search', 'read-metadata', 'write'];
/** And record any patient's opposition, revoke any share (administer). */
const SHARE_ADMIN: AccessAction[] = [...SHARE, 'administer'];

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
      sharing: SHARE_ADMIN,
    },
    emergency: false,
  },
  // The data protection officer and auditors read the trail, and nothing it is about. The DPO also
  // records a patient's opposition to sharing received on paper (`sharing: administer`).
  auditor: { ...NOTHING, audit: 'all', permissions: { audit: LOOK } },
  dpo: { ...NOTHING, audit: 'all', permissions: { audit: LOOK, sharing: ['read-metadata', 'write', 'administer'] } },
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
      sharing: SHARE,
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
      sharing: SHARE,
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
      sharing: SHARE,
    },
    emergency: true,
  },
  // A patient shares their own exams, makes and revokes their links, and states their opposition.
  patient: {
    exams: ['own'],
    dose: ['own'],
    audit: 'own',
    permissions: { study: READ, report: [...LOOK, 'download'], 'dose-record': ['read-metadata'], audit: ['search'], sharing: SHARE },
    emergency: false,
  },
  /**
   * Whoever opened a patient link with its second factor: the one exam of the link (its grant
   * names `link:<id>`), read-only in the viewer, report included. Not a role of `users:` — the
   * hub gives it to a link's session only.
   */
  'patient-link': {
    ...NOTHING,
    exams: ['shared'],
    permissions: { study: ['search', 'read-metadata', 'read-pixels'], report: [...LOOK, 'download'] },
  },
  // Research works on projects: cohort counts and de-identified deliveries (issue #12), never identified data.
  researcher: { ...NOTHING, permissions: { research: [...LOOK, 'write', 'download'] } },
  // The data-access committee decides on research projects and reads their manifests.
  'data-access-committee': { ...NOTHING, permissions: { research: [...LOOK, 'administer'] } },
};

/**
 * DIMSE peers, by `aes[].kind`: each sees the exams of its own site. Modalities query their
 * worklist and fetch priors; PACS and workstations query and retrieve; a PACS may also move its
 * site's studies to another site's AE (`send`). Each may C-STORE (`write`) new studies and its
 * own site's: a study that exists and is another site's is refused (as STOW-RS refuses it).
 */
export const DEFAULT_PEER_POLICIES: Readonly<Record<string, RolePolicy>> = {
  modality: { ...NOTHING, exams: ['site'], permissions: { study: [...READ, 'write'], worklist: LOOK } },
  pacs: { ...NOTHING, exams: ['site'], permissions: { study: [...READ, 'send', 'write'] } },
  workstation: { ...NOTHING, exams: ['site'], permissions: { study: [...READ, 'write'] } },
  other: NOTHING,
};
