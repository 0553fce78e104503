import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ACCESS_CLOCK, AccessContext, AccessGrantStore, AccessService, auditPatientKey, Clock, decideDisclosure, identifierValues, PatientOppositionStore, UserSubject } from '@krypton/access';
import type { Principal } from '@krypton/auth';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { Mailer } from '../mail/mailer';
import { SharingTemplates } from '../mail/mail-templates';
import { publicUrl } from '../public-url';
import { actorOf, administersSharing } from '../sharing-actor';
import { LinkOpenRefusedError, PatientOpposedError, SharingRefusedError } from '../sharing-errors';
import { birthDateAsDa, codeMatches, hashCode, newCode, newLinkToken, newSessionToken, sameSecret, sha256 } from './link-secrets';
import { PatientLink, PatientLinkStore, publicLink, SecondFactor, StoredLink } from './patient-link.store';
import { LinkQrCode, linkQrCode } from './qr-code';

export interface NewLinkRequest {
  readonly studyInstanceUid: string;
  readonly secondFactor: SecondFactor;
  readonly expiresAt?: Date;
  /** Where the one-time code goes (second factor `code`). */
  readonly email?: string;
}

/** A new link: the only time its URL (and so its token) is shown. */
export interface CreatedLink {
  readonly link: PatientLink;
  readonly url: string;
  readonly qrCode: LinkQrCode;
}

export interface OpenedLink {
  /** The viewer session's bearer token (the api sets it as the viewer's cookie). */
  readonly sessionToken: string;
  readonly sessionExpiresAt: Date;
  readonly studyInstanceUid: string;
  readonly viewerPath: string;
}

/** The role and identity of whoever opened a link: the one exam its grant names, read-only. */
export const PATIENT_LINK_ROLE = 'patient-link';
export const linkSubject = (linkId: string): UserSubject => ({ kind: 'user', id: `link:${linkId}`, roles: [PATIENT_LINK_ROLE], sites: [], pools: [], identifiers: [`link:${linkId}`] });

/**
 * Patient links (issue #11): an expiring, revocable link to one exam, with its QR code, that
 * opens the viewer read-only once the patient answers a second factor — their birth date as the
 * catalogue holds it, or a one-time code e-mailed to them. The link's grant (origin `link:<id>`,
 * grantee `link:<id>`, rights `view`) is what the decision point honours; a wrong answer is
 * counted and the link locks after `sharing.links.maxAttempts`. Every attempt is audited under
 * the patient, so openings appear in their access log.
 */
@Injectable()
export class PatientLinkService {
  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly access: AccessService,
    private readonly grants: AccessGrantStore,
    private readonly opposition: PatientOppositionStore,
    private readonly links: PatientLinkStore,
    private readonly mailer: Mailer,
    private readonly templates: SharingTemplates,
    @Inject(ACCESS_CLOCK) private readonly clock: Clock,
  ) {}

  async create(ctx: AccessContext, req: NewLinkRequest): Promise<CreatedLink> {
    const actor = actorOf(ctx);
    const now = this.clock.now();
    const expiresAt = this.expiry(req.expiresAt, now);
    const d = await this.access.authorizeExam(ctx, 'read-metadata', 'study', { studyUid: req.studyInstanceUid }, { route: 'shares/links' });
    if (!d.allowed || !d.facts?.studyUid) throw new SharingRefusedError(`studyInstanceUid: no study ${req.studyInstanceUid}`, 404, 'studyInstanceUid');
    const opposed = (await this.opposition.opposedStudies([req.studyInstanceUid])).length > 0;
    if (!decideDisclosure('link', { opposed, fromSite: null, toSite: null }).allowed) throw new PatientOpposedError([req.studyInstanceUid]);
    const [patient]: { birth_date: string | null; ins: string | null }[] = await this.links.ds.query(
      `SELECT p.birth_date, p.ins FROM study s JOIN patient p ON p.id = s.patient_fk WHERE s.study_uid = $1`,
      [req.studyInstanceUid],
    );
    if (req.secondFactor === 'birth-date' && !/^\d{8}$/.test(patient?.birth_date ?? ''))
      throw new SharingRefusedError('secondFactor: the patient\'s birth date is not in the catalogue; use "code"', 422, 'secondFactor');
    let code: string | null = null;
    if (req.secondFactor === 'code') {
      if (!req.email) throw new SharingRefusedError('email: the address the one-time code is sent to is required with secondFactor "code"', 422, 'email');
      if (!this.mailer.enabled) throw new SharingRefusedError('secondFactor: "code" needs an SMTP relay (sharing.mail.smtp); use "birth-date"', 422, 'secondFactor');
      code = newCode();
    }
    const id = randomUUID();
    const token = newLinkToken();
    const patientKey = auditPatientKey(d.facts)[0] ?? req.studyInstanceUid;
    // The code goes out before anything is stored: a link whose code never reached the patient is not made.
    if (code && req.email) await this.mailer.send([req.email], this.templates.mail('link-code', this.cfg.sharing.mail.locale, { code, expiresAt: expiresAt.toISOString() }));
    await this.links.ds.transaction(async (em) => {
      await this.links.insert(
        {
          id,
          tokenSha256: sha256(token),
          studyUid: req.studyInstanceUid,
          patientIns: patient?.ins ?? d.facts?.patientIns ?? null,
          patientKey,
          secondFactor: req.secondFactor,
          codeHash: code ? hashCode(code) : null,
          codeSentTo: req.email ?? null,
          createdBy: actor.id,
          createdAt: now,
          expiresAt,
        },
        em,
      );
      await this.grants.grant(
        { studyUids: [req.studyInstanceUid], grantees: [`link:${id}`], kind: 'link', reason: `patient link made by ${actor.id}`, grantedBy: actor.id, expiresAt, rights: 'view', origin: `link:${id}` },
        em,
      );
    });
    await this.access.record(ctx, {
      action: 'write',
      outcome: 'allowed',
      resourceType: 'sharing',
      resourceId: `link:${id}`,
      patients: [patientKey],
      studies: [req.studyInstanceUid],
      reason: `patient link (${req.secondFactor}) until ${expiresAt.toISOString()}`,
    });
    const url = `${publicUrl(this.cfg)}/l/${token}`;
    return { link: publicLink((await this.links.byId(id)) as StoredLink), url, qrCode: await linkQrCode(url) };
  }

  /** Opens a link with its second factor; each attempt, right or wrong, is audited under the patient. */
  async open(token: string, answer: string, clientAddress: string | null): Promise<OpenedLink> {
    const link = await this.links.byToken(sha256(token));
    if (!link) throw new LinkOpenRefusedError('no such link', 404);
    const now = this.clock.now();
    const ctx: AccessContext = { subject: linkSubject(link.id), door: 'REST', clientAddress };
    const audit = (outcome: 'allowed' | 'denied', reason: string) =>
      this.access.record(ctx, { action: 'read-metadata', outcome, resourceType: 'study', resourceId: `link:${link.id}`, patients: [link.patientKey], studies: [link.studyInstanceUid], reason });
    const refusal = this.unusable(link, now);
    if (refusal) {
      await audit('denied', `patient link: ${refusal.message}`);
      throw refusal;
    }
    if (!(await this.answerMatches(link, answer))) {
      const { failedAttempts, locked } = await this.links.failedAttempt(link.id, this.cfg.sharing.links.maxAttempts, now);
      await audit('denied', `patient link: wrong ${link.secondFactor} (${failedAttempts} of ${this.cfg.sharing.links.maxAttempts})`);
      if (locked) throw new LinkOpenRefusedError('too many wrong answers: this link is locked; ask for a new one', 423, 0);
      const left = this.cfg.sharing.links.maxAttempts - failedAttempts;
      throw new LinkOpenRefusedError(`wrong ${link.secondFactor === 'code' ? 'code' : 'birth date'}: ${left} attempt(s) left`, 403, left);
    }
    const sessionToken = newSessionToken();
    const sessionExpiresAt = new Date(Math.min(new Date(link.expiresAt).getTime(), now.getTime() + this.cfg.sharing.links.sessionMinutes * 60_000));
    await this.links.opened(link.id, { tokenSha256: sha256(sessionToken), expiresAt: sessionExpiresAt }, now);
    await audit('allowed', `patient link opened (${link.secondFactor})`);
    return { sessionToken, sessionExpiresAt, studyInstanceUid: link.studyInstanceUid, viewerPath: `/viewer?StudyInstanceUIDs=${encodeURIComponent(link.studyInstanceUid)}` };
  }

  /** What a link's page needs before the answer: which factor it asks, or why it cannot be opened. */
  async describe(token: string): Promise<{ secondFactor: SecondFactor; refusal: LinkOpenRefusedError | null }> {
    const link = await this.links.byToken(sha256(token));
    if (!link) throw new LinkOpenRefusedError('no such link', 404);
    return { secondFactor: link.secondFactor, refusal: this.unusable(link, this.clock.now()) };
  }

  /** The principal of a viewer session, for the authenticator (null: unknown, expired, or its link revoked, locked or expired). */
  async sessionPrincipal(sessionToken: string): Promise<Principal | null> {
    const s = await this.links.session(sha256(sessionToken), this.clock.now());
    if (!s) return null;
    const subject = linkSubject(s.linkId);
    return { name: subject.id, roles: subject.roles, site: null, sites: [], pools: [], identifiers: subject.identifiers, authenticatedBy: 'patient-link' };
  }

  /** Revokes a link at once: its grant and its viewer sessions. The maker, the patient, or an administrator. */
  async revoke(ctx: AccessContext, id: string): Promise<PatientLink> {
    const actor = actorOf(ctx);
    const link = /^[0-9a-f-]{36}$/i.test(id) ? await this.links.byId(id) : null;
    const may = !!link && (link.createdBy === actor.id || (!!link.patientIns && actor.ins.includes(link.patientIns)) || administersSharing(this.access, ctx));
    await this.access.record(ctx, {
      action: 'write',
      outcome: may ? 'allowed' : 'denied',
      resourceType: 'sharing',
      resourceId: `link:${id}`,
      patients: link ? [link.patientKey] : [],
      studies: link ? [link.studyInstanceUid] : [],
      reason: may ? 'patient link revoked' : 'not a link of yours',
    });
    if (!link || !may) throw new SharingRefusedError(`no link ${id} of yours`, 404);
    const at = this.clock.now();
    await this.links.ds.transaction(async (em) => {
      await this.links.revoke(id, actor.id, at, em);
      await this.grants.revokeOrigin(`link:${id}`, at, em);
    });
    return publicLink((await this.links.byId(id)) as StoredLink);
  }

  /** A patient's own links ("my share links"), or the links of a study the caller may read. */
  async list(ctx: AccessContext, q: { studyInstanceUid?: string }): Promise<PatientLink[]> {
    const actor = actorOf(ctx);
    if (!q.studyInstanceUid) {
      const ins = ctx.subject.kind === 'user' ? identifierValues(ctx.subject, 'ins') : [];
      if (!ins.length) throw new SharingRefusedError('studyInstanceUid: required (only a patient lists their own links without it)', 422, 'studyInstanceUid');
      const mine = await this.links.ofPatient(ins);
      await this.access.record(ctx, {
        action: 'search',
        outcome: 'allowed',
        resourceType: 'sharing',
        patients: ins,
        studies: [...new Set(mine.map((l) => l.studyInstanceUid))],
        reason: 'own links',
        detail: { user: actor.id },
      });
      return mine.map(publicLink);
    }
    const d = await this.access.authorizeExam(ctx, 'read-metadata', 'study', { studyUid: q.studyInstanceUid }, { route: 'shares/links' });
    if (!d.allowed) throw new SharingRefusedError(`no study ${q.studyInstanceUid}`, 404, 'studyInstanceUid');
    return (await this.links.ofStudy(q.studyInstanceUid)).map(publicLink);
  }

  private unusable(link: StoredLink, now: Date): LinkOpenRefusedError | null {
    if (link.revokedAt) return new LinkOpenRefusedError('this link was revoked', 410);
    if (new Date(link.expiresAt).getTime() <= now.getTime()) return new LinkOpenRefusedError('this link has expired', 410);
    if (link.lockedAt) return new LinkOpenRefusedError('too many wrong answers: this link is locked; ask for a new one', 423, 0);
    return null;
  }

  private async answerMatches(link: StoredLink, answer: string): Promise<boolean> {
    if (link.secondFactor === 'code') return !!link.codeHash && /^\d{6}$/.test(answer.trim()) && codeMatches(answer.trim(), link.codeHash);
    const typed = birthDateAsDa(answer);
    const [p]: { birth_date: string | null }[] = await this.links.ds.query(`SELECT p.birth_date FROM study s JOIN patient p ON p.id = s.patient_fk WHERE s.study_uid = $1`, [link.studyInstanceUid]);
    return !!typed && !!p?.birth_date && sameSecret(typed, p.birth_date);
  }

  private expiry(asked: Date | undefined, now: Date): Date {
    const { defaultDays, maxDays } = this.cfg.sharing.links;
    if (!asked) return new Date(now.getTime() + defaultDays * 86_400_000);
    if (asked.getTime() <= now.getTime()) throw new SharingRefusedError('expiresAt: must be in the future', 422, 'expiresAt');
    if (asked.getTime() > now.getTime() + maxDays * 86_400_000) throw new SharingRefusedError(`expiresAt: at most ${maxDays} days from now (sharing.links.maxDays)`, 422, 'expiresAt');
    return asked;
  }
}
