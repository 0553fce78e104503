import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { createHash, randomUUID } from 'node:crypto';
import {
  ACCESS_CLOCK,
  AccessContext,
  AccessGrantStore,
  AccessService,
  auditPatientKey,
  bindCondition,
  Clock,
  decideDisclosure,
  GrantRights,
  granteesOf,
  PatientOppositionStore,
  poolGrantees,
  siteGrantees,
} from '@krypton/access';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { protocolActor } from '@krypton/workflows/routing';
import { SHARE_NOTIFY_QUEUE, ShareNotifyJobData } from '@krypton/queue';
import { NOTIFY_BACKOFF, notifyAttempts, notifyRetryOf } from './mail/notify-retry';
import { ResolvedRecipient, resolveRecipient, ShareRecipient } from './share-recipient';
import { Share, ShareStore } from './share.store';
import { actorOf, administersSharing, patientCondition } from './sharing-actor';
import { PatientOpposedError, SharingRefusedError } from './sharing-errors';

export interface NewShareRequest {
  /** One study, or every study of `patient` the caller may share (exactly one of the two). */
  readonly studyInstanceUid?: string;
  readonly patient?: string;
  readonly to: ShareRecipient;
  readonly rights: GrantRights;
  readonly expiresAt?: Date;
  readonly message?: string;
}

/** A protocol's share action on one stable study (the routing contract's PlannedShare). */
export interface ProtocolShareRequest {
  readonly studyUid: string;
  readonly to: { readonly site: string } | { readonly pool: string };
  readonly rights: GrantRights;
  readonly origin: { readonly protocolId: string; readonly version: number; readonly rule: string };
}

/** The share id of a protocol's share: a UUID derived from protocol version, study and recipient, so that it is made once. */
export function protocolShareId(p: ProtocolShareRequest): string {
  const h = createHash('sha256')
    .update(JSON.stringify([p.origin.protocolId, p.origin.version, p.studyUid, p.to]))
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An exam shared with the caller, as `GET /shared/exams` lists it. */
export interface SharedExam {
  readonly shareId: string;
  readonly studyInstanceUid: string;
  readonly sharedBy: string;
  readonly sharedAt: string;
  readonly expiresAt: string;
  readonly rights: GrantRights;
  readonly message: string | null;
  readonly to: Share['to'];
  readonly study: { readonly date: string | null; readonly description: string | null; readonly accessionNumber: string | null; readonly patientName: string | null };
  /** The audit's patient key (INS, else issuer|patientId). */
  readonly patient: string;
}

/** What the audit records of a listed shared exam. */
export const sharedHit = (r: { ins: string | null; pkey: string; study_uid: string }) => ({ patient: r.ins ?? r.pkey, study: r.study_uid });

/** The action a share's rights need of its maker: nobody gives more than they have. */
const ACTION_OF: Record<GrantRights, 'read-pixels' | 'download'> = { view: 'read-pixels', download: 'download' };

/**
 * Sharing exams with professionals, sites and organisations (issue #11). A share is a set of
 * access grants (origin `share:<id>`) that the decision point honours like any other, so every
 * door — REST, DICOMweb, the viewer — opens a shared exam to its recipient and closes it again
 * when the share is revoked or expires, or when the patient objects.
 *
 * @example
 *   const share = await sharing.create(accessContext(req), { studyInstanceUid, to: { rpps: '10000000002' }, rights: 'view' });
 */
@Injectable()
export class SharingService {
  private readonly log = new Logger('Sharing');

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly access: AccessService,
    private readonly grants: AccessGrantStore,
    private readonly opposition: PatientOppositionStore,
    private readonly shares: ShareStore,
    @Inject(ACCESS_CLOCK) private readonly clock: Clock,
    @InjectQueue(SHARE_NOTIFY_QUEUE) private readonly notify: Queue<ShareNotifyJobData>,
  ) {}

  async create(ctx: AccessContext, req: NewShareRequest): Promise<Share> {
    const actor = actorOf(ctx);
    const now = this.clock.now();
    const recipient = resolveRecipient(this.cfg, req.to);
    const expiresAt = this.expiry(req.expiresAt, now);
    const studies = await this.shareableStudies(ctx, req);
    const opposed = await this.opposition.opposedStudies(studies.map((s) => s.uid));
    if (!decideDisclosure('share', { opposed: opposed.length > 0, fromSite: null, toSite: null }).allowed) {
      await this.access.record(ctx, {
        action: 'write',
        outcome: 'denied',
        resourceType: 'sharing',
        patients: studies.flatMap((s) => s.patients),
        studies: opposed,
        reason: 'patient opposition to sharing',
        detail: { to: req.to },
      });
      throw new PatientOpposedError(opposed);
    }
    return this.persist(ctx, randomUUID(), studies, recipient, { patient: req.patient ?? null, rights: req.rights, message: req.message ?? null, createdBy: actor.id, now, expiresAt });
  }

  /**
   * A protocol's share with a site or a reading pool (issue #11), made when the study becomes
   * stable: the same share, grants, audit record (under the protocol version, door `workflow`) and
   * notification as a person's. The protocol was published by an administrator, so there is no
   * maker whose own access bounds it; the patient's opposition is decided as for any share (a
   * refusal is audited and answered, not thrown: the routing goes on). One share per protocol
   * version, study and recipient: a retried activity or a later stability finds it.
   */
  async shareByProtocol(p: ProtocolShareRequest): Promise<{ shareId: string | null; withheld?: string }> {
    const id = protocolShareId(p);
    if (await this.shares.get(id)) return { shareId: id };
    const by = protocolActor(p.origin);
    const ctx: AccessContext = { subject: { kind: 'user', id: by, roles: [], sites: [], pools: [], identifiers: [] }, door: 'workflow', clientAddress: null };
    const recipient = resolveRecipient(this.cfg, p.to);
    const rows: { ins: string | null; pkey: string }[] = await this.shares.ds.query(
      `SELECT p.ins, p.issuer || '|' || p.patient_id AS pkey FROM study st JOIN patient p ON p.id = st.patient_fk WHERE st.study_uid = $1`,
      [p.studyUid],
    );
    if (!rows.length) throw new SharingRefusedError(`studyInstanceUid: no study ${p.studyUid}`, 404, 'studyInstanceUid');
    const patients = rows.map((r) => r.ins ?? r.pkey);
    const opposed = (await this.opposition.opposedStudies([p.studyUid])).length > 0;
    const verdict = decideDisclosure('share', { opposed, fromSite: null, toSite: null });
    if (!verdict.allowed) {
      await this.access.record(ctx, {
        action: 'write',
        outcome: 'denied',
        resourceType: 'sharing',
        patients,
        studies: [p.studyUid],
        reason: verdict.reason,
        detail: { to: p.to, rule: p.origin.rule },
      });
      return { shareId: null, withheld: verdict.reason };
    }
    const now = this.clock.now();
    return {
      shareId: (await this.persist(ctx, id, [{ uid: p.studyUid, patients }], recipient, { patient: null, rights: p.rights, message: null, createdBy: by, now, expiresAt: this.expiry(undefined, now) }))
        .id,
    };
  }

  /** Writes a share and its grants in one transaction, audits it and queues its notification. */
  private async persist(
    ctx: AccessContext,
    id: string,
    studies: { uid: string; patients: string[] }[],
    recipient: ResolvedRecipient,
    s: { patient: string | null; rights: GrantRights; message: string | null; createdBy: string; now: Date; expiresAt: Date },
  ): Promise<Share> {
    const { createdBy, expiresAt } = s;
    await this.shares.ds.transaction(async (em) => {
      await this.shares.insert(
        {
          id,
          studyUids: studies.map((x) => x.uid),
          patient: s.patient,
          recipientKind: recipient.kind,
          recipient: recipient.value,
          grantees: recipient.grantees,
          rights: s.rights,
          message: s.message,
          createdBy,
          createdAt: s.now,
          expiresAt,
          notifyTo: recipient.emails,
        },
        em,
      );
      await this.grants.grant(
        {
          studyUids: studies.map((x) => x.uid),
          grantees: recipient.grantees,
          kind: 'share',
          reason: `shared by ${createdBy} with ${recipient.kind} ${recipient.value}`,
          grantedBy: createdBy,
          expiresAt,
          rights: s.rights,
          origin: `share:${id}`,
        },
        em,
      );
    });
    await this.access.record(ctx, {
      action: 'write',
      outcome: 'allowed',
      resourceType: 'sharing',
      resourceId: `share:${id}`,
      patients: [...new Set(studies.flatMap((x) => x.patients))],
      studies: studies.map((x) => x.uid),
      reason: `share with ${recipient.kind} ${recipient.value} (${s.rights}) until ${expiresAt.toISOString()}`,
    });
    await this.enqueueNotification(id, recipient);
    return (await this.shares.get(id)) as Share;
  }

  /** Revokes a share at once: its grants are gone for the recipient's next request. The maker or an administrator. */
  async revoke(ctx: AccessContext, id: string): Promise<Share> {
    const actor = actorOf(ctx);
    const share = await this.shares.get(id);
    const mayRevoke = share && (share.createdBy === actor.id || administersSharing(this.access, ctx));
    await this.access.record(ctx, {
      action: 'write',
      outcome: mayRevoke ? 'allowed' : 'denied',
      resourceType: 'sharing',
      resourceId: `share:${id}`,
      studies: share?.studyInstanceUids ?? [],
      reason: mayRevoke ? 'share revoked' : share ? 'not the maker of the share' : 'no such share',
    });
    if (!share || !mayRevoke) throw new SharingRefusedError(`no share ${id} of yours`, 404);
    const at = this.clock.now();
    await this.shares.ds.transaction(async (em) => {
      await this.shares.revoke(id, actor.id, at, em);
      await this.grants.revokeOrigin(`share:${id}`, at, em);
    });
    return (await this.shares.get(id)) as Share;
  }

  /** The shares of one study (whoever may read the study), or those the caller made. */
  async list(ctx: AccessContext, q: { studyInstanceUid?: string; limit: number; offset: number }): Promise<Share[]> {
    const actor = actorOf(ctx);
    if (!q.studyInstanceUid) return this.shares.madeBy(actor.id, q.limit, q.offset);
    const d = await this.access.authorizeExam(ctx, 'read-metadata', 'study', { studyUid: q.studyInstanceUid }, { route: 'shares' });
    if (!d.allowed) throw new SharingRefusedError(`no study ${q.studyInstanceUid}`, 404, 'studyInstanceUid');
    return (await this.shares.ofStudy(q.studyInstanceUid)).slice(q.offset, q.offset + q.limit);
  }

  /**
   * What was shared with the caller — with them by RPPS or with one of their sites — and is in
   * force now: filtered by the decision point's own SQL condition, so an expired, revoked or
   * opposed share is not listed, exactly as the exam no longer opens.
   */
  async sharedWithMe(ctx: AccessContext, page: { limit: number; offset: number }, opts: { audit: boolean } = { audit: true }): Promise<SharedExam[]> {
    if (ctx.subject.kind !== 'user') return [];
    const mine = [...granteesOf(ctx.subject), ...siteGrantees(ctx.subject.sites), ...poolGrantees(ctx.subject.pools)];
    const filter = this.access.filter(ctx, 'search');
    if (filter === 'none') return [];
    const values: unknown[] = [mine, this.clock.now(), page.limit, page.offset];
    const visible = filter === 'all' ? 'true' : bindCondition(filter, values);
    const rows: {
      id: string;
      study_uid: string;
      created_by: string;
      created_at: Date;
      expires_at: Date;
      rights: GrantRights;
      message: string | null;
      recipient_kind: Share['to']['kind'];
      recipient: string;
      study_date: string | null;
      study_description: string | null;
      accession_number: string | null;
      name: string | null;
      ins: string | null;
      pkey: string;
    }[] = await this.shares.ds.query(
      `SELECT sh.id, st.study_uid, sh.created_by, sh.created_at, sh.expires_at, sh.rights, sh.message, sh.recipient_kind, sh.recipient,
              st.study_date, st.study_description, st.accession_number, p.name, p.ins, p.issuer || '|' || p.patient_id AS pkey
         FROM share sh CROSS JOIN LATERAL unnest(sh.study_uids) AS u(uid)
         JOIN study st ON st.study_uid = u.uid JOIN patient p ON p.id = st.patient_fk
        WHERE sh.grantees && $1::text[] AND sh.revoked_at IS NULL AND sh.expires_at > $2
          AND EXISTS (SELECT 1 FROM study_grant g WHERE g.study_uid = st.study_uid AND g.grantee = ANY($1::text[]) AND g.kind = 'share')
          AND ${visible}
        ORDER BY sh.created_at DESC, st.study_uid LIMIT $3 OFFSET $4`,
      values,
    );
    // A door that lists these with other results writes one record for the whole answer itself.
    if (opts.audit) await this.access.recordSearch(ctx, 'study', rows.map(sharedHit), { route: 'shared/exams' });
    return rows.map((r) => ({
      shareId: r.id,
      studyInstanceUid: r.study_uid,
      sharedBy: r.created_by,
      sharedAt: new Date(r.created_at).toISOString(),
      expiresAt: new Date(r.expires_at).toISOString(),
      rights: r.rights,
      message: r.message,
      to: { kind: r.recipient_kind, value: r.recipient },
      study: { date: r.study_date, description: r.study_description, accessionNumber: r.accession_number, patientName: r.name },
      patient: r.ins ?? r.pkey,
    }));
  }

  private expiry(asked: Date | undefined, now: Date): Date {
    const max = new Date(now.getTime() + this.cfg.sharing.maxShareDays * 86_400_000);
    if (!asked) return max;
    if (asked.getTime() <= now.getTime()) throw new SharingRefusedError('expiresAt: must be in the future', 422, 'expiresAt');
    if (asked.getTime() > max.getTime()) throw new SharingRefusedError(`expiresAt: at most ${this.cfg.sharing.maxShareDays} days from now (sharing.maxShareDays)`, 422, 'expiresAt');
    return asked;
  }

  /** The studies of the request that the caller may themselves read with the rights they give; each decision audited. */
  private async shareableStudies(ctx: AccessContext, req: NewShareRequest): Promise<{ uid: string; patients: string[] }[]> {
    const action = ACTION_OF[req.rights];
    let uids: string[];
    if (req.studyInstanceUid) uids = [req.studyInstanceUid];
    else {
      const who = patientCondition(req.patient as string);
      const filter = this.access.filter(ctx, action);
      const values: unknown[] = [];
      const where = [bindCondition(who, values)];
      if (filter === 'none') uids = [];
      else {
        if (filter !== 'all') where.push(bindCondition(filter, values));
        const rows: { study_uid: string }[] = await this.shares.ds.query(
          `SELECT st.study_uid FROM study st JOIN patient p ON p.id = st.patient_fk WHERE ${where.join(' AND ')} ORDER BY st.study_uid`,
          values,
        );
        uids = rows.map((r) => r.study_uid);
      }
      if (!uids.length) throw new SharingRefusedError(`patient: no exam of ${req.patient} that you may share`, 404, 'patient');
    }
    const out: { uid: string; patients: string[] }[] = [];
    for (const uid of uids) {
      const d = await this.access.authorizeExam(ctx, action, 'study', { studyUid: uid }, { route: 'shares', to: req.to });
      if (!d.allowed || !d.facts?.studyUid) throw new SharingRefusedError(`studyInstanceUid: no study ${uid} that you may share with ${req.rights} rights`, 404, 'studyInstanceUid');
      out.push({ uid, patients: auditPatientKey(d.facts) });
    }
    return out;
  }

  /**
   * Sends a share's notification again after it failed for good (the relay was down past
   * `sharing.mail.retry.giveUpAfterHours`, or the queue was unreachable when the share was made):
   * the maker or an administrator. A notification already sent is not sent twice.
   */
  async renotify(ctx: AccessContext, id: string): Promise<Share> {
    const actor = actorOf(ctx);
    const share = await this.shares.get(id);
    const may = share && (share.createdBy === actor.id || administersSharing(this.access, ctx));
    if (!share || !may) throw new SharingRefusedError(`no share ${id} of yours`, 404);
    if (share.revokedAt) throw new SharingRefusedError(`share ${id} is revoked: nothing to announce`, 409);
    if (share.notification.state === 'sent') return share;
    // A new job id: the dead one stays in the queue's failed set as the record of what was tried.
    await this.notify.add('share', this.jobData(id), this.jobOptions(`share-${id}-${this.clock.now().getTime()}`));
    return share;
  }

  private jobData(id: string): ShareNotifyJobData {
    const r = notifyRetryOf(this.cfg);
    return { shareId: id, backoff: { initialMs: r.initialMs, maxMs: r.maxMs } };
  }

  private jobOptions(jobId: string) {
    // Kept when it fails for good (removeOnFail: false): the queue's failed set is the dead letter.
    return { jobId, attempts: notifyAttempts(notifyRetryOf(this.cfg)), backoff: { type: NOTIFY_BACKOFF }, removeOnFail: false };
  }

  private async enqueueNotification(id: string, recipient: ResolvedRecipient): Promise<void> {
    try {
      await this.notify.add('share', this.jobData(id), this.jobOptions(`share-${id}`));
    } catch (e) {
      // The share stands (its grants are committed); its notification stays `pending`, visible in GET /shares, until POST /shares/{id}/notify.
      this.log.error({ shareId: id, to: recipient.emails, err: (e as Error).message }, 'share notification not queued');
    }
  }
}
