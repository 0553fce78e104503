import type { ArchivePolicy } from '@krypton/config';

/** What the lifecycle needs to know about a study to plan it. */
export interface StudyArchiveFacts {
  readonly studyUid: string;
  /** The site of the AE the study came from; null for DICOMweb (no calling AE) or an unknown AE. */
  readonly site: string | null;
  readonly modalities: readonly string[];
  readonly sopClassUids: readonly string[];
  /** Last read (WADO, C-MOVE, C-GET, forwarding), else when it arrived (ISO). */
  readonly lastAccessAt: string;
  readonly tier: 'primary' | 'archive' | 'deleted';
  readonly legalHold: boolean;
}

/** When the study moves to the archive tier and when it may be deleted (ISO), or null for never. */
export interface ArchivePlan {
  readonly tierAt: string | null;
  readonly deleteAt: string | null;
  /** The policy that applied ("*" for the default), null when none did (nothing ever happens). */
  readonly policy: string | null;
}

const DAY_MS = 86_400_000;

function addYears(iso: string, years: number): string {
  const d = new Date(iso);
  const whole = Math.floor(years);
  d.setUTCFullYear(d.getUTCFullYear() + whole);
  return new Date(d.getTime() + (years - whole) * 365.25 * DAY_MS).toISOString();
}

/** The site's policy, else the "*" policy, else none. */
export function policyFor(site: string | null, policies: readonly ArchivePolicy[]): ArchivePolicy | null {
  return policies.find((p) => site !== null && p.site === site) ?? policies.find((p) => p.site === '*') ?? null;
}

/**
 * Retention in years: the longest rule matching one of the study's document types (a mammography
 * kept longer than the site's default, a dose report kept as long as the law asks), else the
 * site's default; undefined = kept forever. Longest wins because deleting a document that another
 * rule still protects cannot be undone.
 */
export function retentionYears(facts: StudyArchiveFacts, policy: ArchivePolicy): number | undefined {
  const matching = policy.retention.filter((r) => r.modalities?.some((m) => facts.modalities.includes(m)) || r.sopClassUids?.some((u) => facts.sopClassUids.includes(u)));
  if (!matching.length) return policy.retainYears;
  return Math.max(...matching.map((r) => r.years));
}

/** Pure: the plan of a study under the configured policies, measured from its last access. */
export function planStudy(facts: StudyArchiveFacts, policies: readonly ArchivePolicy[]): ArchivePlan {
  const policy = policyFor(facts.site, policies);
  if (!policy) return { tierAt: null, deleteAt: null, policy: null };
  const years = retentionYears(facts, policy);
  return {
    tierAt: policy.tierAfterDays === undefined ? null : new Date(Date.parse(facts.lastAccessAt) + policy.tierAfterDays * DAY_MS).toISOString(),
    deleteAt: years === undefined ? null : addYears(facts.lastAccessAt, years),
    policy: policy.site,
  };
}
