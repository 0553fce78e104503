import type { AccessAction, AccessConfig, ExamScope, KryptonConfig, ResourceType, RolePolicyConfig } from '@krypton/config';
import { DEFAULT_PEER_POLICIES, DEFAULT_ROLE_POLICIES, RolePolicy } from './default-policy';
import type { AccessSubject } from './subject';

const NONE: RolePolicy = { exams: [], dose: [], audit: 'none', permissions: {}, emergency: false };

function merge(base: RolePolicy | undefined, over: RolePolicyConfig | undefined): RolePolicy {
  const b = base ?? NONE;
  if (!over) return b;
  return {
    exams: over.exams ?? b.exams,
    dose: over.dose ?? b.dose,
    audit: over.audit ?? b.audit,
    permissions: over.permissions ? { ...b.permissions, ...over.permissions } : b.permissions,
    emergency: over.emergency ?? b.emergency,
  };
}

/**
 * The effective rules: built-in defaults with the YAML's `access:` overrides, plus what the
 * decision needs from the rest of the configuration (which AE titles belong to which site).
 */
export class AccessPolicy {
  readonly roles: ReadonlyMap<string, RolePolicy>;
  readonly peers: ReadonlyMap<string, RolePolicy>;
  readonly emergencyMinutes: number;
  private readonly aeSites: ReadonlyMap<string, string>;

  constructor(access: AccessConfig, aes: readonly { aeTitle: string; site: string }[] = []) {
    const roleNames = new Set([...Object.keys(DEFAULT_ROLE_POLICIES), ...Object.keys(access.roles)]);
    this.roles = new Map([...roleNames].map((r) => [r, merge(DEFAULT_ROLE_POLICIES[r], access.roles[r as keyof typeof access.roles])]));
    const kinds = new Set([...Object.keys(DEFAULT_PEER_POLICIES), ...Object.keys(access.peers)]);
    this.peers = new Map([...kinds].map((k) => [k, merge(DEFAULT_PEER_POLICIES[k], access.peers[k as keyof typeof access.peers])]));
    this.emergencyMinutes = access.emergencyMinutes;
    this.aeSites = new Map(aes.map((a) => [a.aeTitle, a.site]));
  }

  static fromConfig(cfg: Pick<KryptonConfig, 'access' | 'aes'>): AccessPolicy {
    return new AccessPolicy(cfg.access, cfg.aes);
  }

  /** The rule sets that apply to a subject: one per role, or the peer's kind. */
  policiesOf(s: AccessSubject): { name: string; policy: RolePolicy }[] {
    if (s.kind === 'peer') return [{ name: `peer:${s.aeKind}`, policy: this.peers.get(s.aeKind) ?? NONE }];
    return s.roles.map((r) => ({ name: r, policy: this.roles.get(r) ?? NONE }));
  }

  /** The rule sets of the subject that allow `action` on `type` at all (before any exam fact). */
  permitting(s: AccessSubject, type: ResourceType, action: AccessAction): { name: string; policy: RolePolicy }[] {
    return this.policiesOf(s).filter((p) => p.policy.permissions[type]?.includes(action));
  }

  /** Exam scopes that reach exams for this action, across the subject's roles. */
  examScopes(s: AccessSubject, type: ResourceType, action: AccessAction): Set<ExamScope> {
    return new Set(this.permitting(s, type, action).flatMap((p) => p.policy.exams));
  }

  mayBreakGlass(s: AccessSubject): boolean {
    return this.policiesOf(s).some((p) => p.policy.emergency);
  }

  /** The AE titles configured for these sites: a study's origin site is its source AE's. */
  aeTitlesOf(sites: readonly string[]): string[] {
    return [...this.aeSites].filter(([, site]) => sites.includes(site)).map(([ae]) => ae);
  }

  siteOfAe(aeTitle: string | null | undefined): string | null {
    return aeTitle ? (this.aeSites.get(aeTitle) ?? null) : null;
  }
}
