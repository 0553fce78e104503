import type { Principal } from '@krypton/auth';

/** A person signed in (a token today, OpenID Connect later): everything the decision needs about them. */
export interface UserSubject {
  readonly kind: 'user';
  readonly id: string;
  readonly roles: readonly string[];
  readonly sites: readonly string[];
  readonly pools: readonly string[];
  /** `rpps:…`, `ins:…`, `adeli:…`, `local:…` */
  readonly identifiers: readonly string[];
}

/** A DICOM application entity calling the hub (C-FIND, C-MOVE, C-GET, MWL). */
export interface PeerSubject {
  readonly kind: 'peer';
  readonly aeTitle: string;
  /** The configured AE's site; null for an unknown AE accepted by `dicom.acceptUnknownCallingAe`. */
  readonly site: string | null;
  /** `aes[].kind`: modality, pacs, workstation, other. */
  readonly aeKind: string;
}

export type AccessSubject = UserSubject | PeerSubject;

export function userSubject(p: Principal): UserSubject {
  return { kind: 'user', id: p.name, roles: p.roles, sites: p.sites ?? (p.site ? [p.site] : []), pools: p.pools, identifiers: p.identifiers };
}

/** Identifier values of one kind (`rpps`, `ins`) without their prefix. */
export function identifierValues(s: UserSubject, kind: string): string[] {
  const prefix = `${kind}:`;
  return s.identifiers.filter((i) => i.startsWith(prefix)).map((i) => i.slice(prefix.length));
}

/** Grantees that stand for this user in access grants: their identifiers and `user:<id>`. */
export function granteesOf(s: UserSubject): string[] {
  return [`user:${s.id}`, ...s.identifiers];
}

/** How the audit names a subject. */
export function subjectLabel(s: AccessSubject): { id: string; roles: string[]; site: string | null } {
  return s.kind === 'user' ? { id: s.id, roles: [...s.roles], site: s.sites[0] ?? null } : { id: `ae:${s.aeTitle}`, roles: [`peer:${s.aeKind}`], site: s.site };
}
