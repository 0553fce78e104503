import type { InstanceLocation } from '@krypton/catalog';
import type { AccessAction, KryptonConfig } from '@krypton/config';
import { AccessContext, AccessService, auditPatientKey, ExamFilter, PeerSubject, permits } from '@krypton/access';

/** A refusal by the access decision, answered with a DIMSE status by the caller. */
export class DimseAccessDeniedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DimseAccessDeniedError';
  }
}

/**
 * The access decision could not be made (the catalogue is unreachable): refused as a transient
 * failure so the sender keeps its copy and sends it again later, as an access whose audit record
 * cannot be made durable is refused. Deciding later, at indexing, would mean acknowledging an
 * object that may then have to be withheld.
 */
export class DimseAccessUndecidedError extends Error {
  constructor(cause: Error) {
    super(`the access decision could not be made now (${cause.message}); send again later`);
    this.name = 'DimseAccessUndecidedError';
  }
}

/**
 * The DIMSE door of libs/access: the calling AE is the subject (its configured site and kind);
 * C-FIND filters in SQL, C-MOVE/C-GET keep only the studies the AE may retrieve, MWL is scoped to
 * the AE's site, and each operation writes one audit record (not one per instance).
 */
export class DimseAccess {
  constructor(
    private readonly access: AccessService,
    private readonly cfg: KryptonConfig,
  ) {}

  context(callingAe: string, clientAddress: string | null): AccessContext {
    const ae = this.cfg.aes.find((a) => a.aeTitle === callingAe);
    const subject: PeerSubject = { kind: 'peer', aeTitle: callingAe, site: ae?.site ?? null, aeKind: ae?.kind ?? 'other' };
    return { subject, door: 'DIMSE', clientAddress };
  }

  /** C-FIND on the catalogue: the AE's scope as SQL. */
  findScope(ctx: AccessContext): ExamFilter {
    return this.access.filter(ctx, 'search');
  }

  async recordFind(ctx: AccessContext, rows: readonly Record<string, unknown>[], detail: Record<string, unknown>): Promise<void> {
    await this.access.recordSearch(
      ctx,
      'study',
      rows.map((r) => ({ patient: (r.__ins ?? r.__pkey ?? null) as string | null, study: (r.__study ?? null) as string | null })),
      detail,
    );
  }

  /**
   * A C-MOVE to the caller itself or to an AE of the caller's site is a retrieve (`download`); to
   * another site's AE it is a `send`, which only PACS-kind peers (and no modality) may do by default.
   */
  moveAction(ctx: AccessContext, dest: { aeTitle: string; site: string }): AccessAction {
    const s = ctx.subject;
    if (s.kind !== 'peer') return 'send';
    return dest.aeTitle === s.aeTitle || (s.site !== null && dest.site === s.site) ? 'download' : 'send';
  }

  /** MWL: modalities (by default) see the worklist of their own site; null = refused. */
  worklistSite(ctx: AccessContext): string | null {
    if (ctx.subject.kind !== 'peer' || !permits(this.access.policy, ctx.subject, 'worklist', 'search')) return null;
    return ctx.subject.site;
  }

  async recordWorklist(ctx: AccessContext, allowed: boolean, results: number, patients: readonly string[]): Promise<void> {
    await this.access.record(ctx, {
      action: 'search',
      outcome: allowed ? 'allowed' : 'denied',
      resourceType: 'worklist',
      patients,
      reason: allowed ? `worklist of site ${(ctx.subject as PeerSubject).site}` : 'this AE may not query the worklist',
      detail: { results },
    });
  }

  /**
   * The instances of a C-MOVE/C-GET the AE may retrieve: decided per study (one decision and one
   * audit record per study, allowed or denied); the others are dropped as if absent.
   */
  async retrievable(ctx: AccessContext, action: AccessAction, locations: readonly InstanceLocation[], detail: Record<string, unknown>): Promise<InstanceLocation[]> {
    const studies = [...new Set(locations.map((l) => l.studyUid))];
    const allowed = new Set<string>();
    for (const studyUid of studies) {
      const d = await this.access.authorizeExam(ctx, action, 'study', { studyUid }, detail);
      if (d.allowed) allowed.add(studyUid);
    }
    return locations.filter((l) => allowed.has(l.studyUid));
  }

  /**
   * C-STORE into a study that exists is decided on that study (`write`), as STOW-RS decides it:
   * another site's study is refused (the AE's site would otherwise become one of its origins and
   * open it to the AE), audited as denied. A study the catalogue does not know is the AE's to
   * write (a study being received elsewhere and not yet indexed is not known here either).
   * Resolves with the refusal's reason, or null when the AE may write the study.
   */
  async storeRefusal(ctx: AccessContext, studyUid: string): Promise<string | null> {
    const d = await this.access.examDecision(ctx, 'write', 'study', { studyUid });
    if (!d.facts || d.allowed) return null;
    await this.access.record(ctx, {
      action: 'write',
      outcome: 'denied',
      resourceType: 'study',
      resourceId: studyUid,
      studies: [studyUid],
      patients: auditPatientKey(d.facts),
      reason: d.reason,
      detail: { door: 'C-STORE' },
    });
    return d.reason;
  }

  /** C-STORE: one record per study and association, before the first instance of the study is answered. */
  async recordStore(ctx: AccessContext, studyUid: string, patient: { patientIns: string | null; patientKey: string | null }): Promise<void> {
    await this.access.record(ctx, {
      action: 'write',
      outcome: 'allowed',
      resourceType: 'study',
      resourceId: studyUid,
      studies: [studyUid],
      patients: auditPatientKey(patient),
      reason: 'C-STORE',
    });
  }
}
