import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccessAction, KRYPTON_CONFIG, KryptonConfig, ResourceType } from '@krypton/config';
import { AuditDoor, AuditRecord, AuditService } from '@krypton/audit';
import { AccessPolicy } from './access-policy';
import { AccessResource, Decision, decide, ExamResourceType } from './decide';
import { ExamFacts } from './exam-facts';
import { ExamFactsStore } from './exam-facts.store';
import { examFilter, ExamFilter } from './exam-filter';
import { AccessSubject, subjectLabel } from './subject';
import { EmergencyRefusedError } from './access-errors';
import { ACCESS_CLOCK, Clock } from './clock';

/** Who asks, through which door, from where: what every audit record of a request shares. */
export interface AccessContext {
  readonly subject: AccessSubject;
  readonly door: AuditDoor;
  readonly clientAddress: string | null;
}

export interface ExamDecision extends Decision {
  /** Null when neither the study nor the request exists (the door answers 404 either way). */
  readonly facts: ExamFacts | null;
}

/** The patient key the audit files an exam under: the INS when known. */
export function auditPatientKey(f: { patientIns: string | null; patientKey: string | null }): string[] {
  return f.patientIns ? [f.patientIns] : f.patientKey ? [f.patientKey] : [];
}

/**
 * The decision point as the doors use it: loads the facts, asks `decide`, writes the audit record
 * (awaited: an access that cannot be audited is refused by the AuditUnavailableError it throws),
 * and hands back the decision. Doors turn a refusal into their own "not found".
 */
@Injectable()
export class AccessService {
  readonly policy: AccessPolicy;

  constructor(
    @Inject(KRYPTON_CONFIG) readonly cfg: KryptonConfig,
    private readonly facts: ExamFactsStore,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(ACCESS_CLOCK) readonly clock: Clock,
  ) {
    this.policy = AccessPolicy.fromConfig(cfg);
  }

  /** The search condition (SQL) for exams the subject may `action`. */
  filter(ctx: AccessContext, action: AccessAction, type: ExamResourceType = 'study'): ExamFilter {
    return examFilter(this.policy, ctx.subject, action, type, this.clock.now());
  }

  decide(ctx: AccessContext, action: AccessAction, resource: AccessResource): Decision {
    return decide(this.policy, ctx.subject, action, resource, this.clock.now());
  }

  /** An exam decided, not audited: for a door that audits the access its own way (C-STORE: one record per study and association). */
  async examDecision(ctx: AccessContext, action: AccessAction, type: ExamResourceType, ref: { studyUid?: string | null; requestId?: string | null }): Promise<ExamDecision> {
    const facts = await this.facts.exam(this.policy, ref);
    const decision: Decision = facts ? decide(this.policy, ctx.subject, action, { type, exam: facts }, this.clock.now()) : { allowed: false, reason: 'not found' };
    return { ...decision, facts };
  }

  /** An exam (study, request, report or reading task), decided and audited. */
  async authorizeExam(
    ctx: AccessContext,
    action: AccessAction,
    type: ExamResourceType,
    ref: { studyUid?: string | null; requestId?: string | null },
    detail?: Record<string, unknown>,
  ): Promise<ExamDecision> {
    const { facts, ...decision } = await this.examDecision(ctx, action, type, ref);
    await this.record(ctx, {
      action,
      outcome: decision.allowed ? 'allowed' : 'denied',
      resourceType: type,
      resourceId: ref.requestId ?? ref.studyUid ?? null,
      patients: facts ? auditPatientKey(facts) : [],
      studies: facts?.studyUid ? [facts.studyUid] : ref.studyUid ? [ref.studyUid] : [],
      reason: decision.reason,
      detail,
    });
    return { ...decision, facts };
  }

  /** A patient's dose history. */
  async authorizeDose(ctx: AccessContext, action: AccessAction, key: { ins?: string; issuer?: string; patientId?: string }, label: string): Promise<Decision & { found: boolean }> {
    const patient = await this.facts.dosePatient(key);
    let decision: Decision = { allowed: false, reason: 'not found' };
    if (patient) {
      const reachableExam = await this.facts.anyStudyOfPatients(patient.patientFks, this.filter(ctx, 'read-metadata'));
      decision = decide(this.policy, ctx.subject, action, { type: 'dose-record', patient, reachableExam }, this.clock.now());
    }
    await this.record(ctx, {
      action,
      outcome: decision.allowed ? 'allowed' : 'denied',
      resourceType: 'dose-record',
      resourceId: label,
      patients: patient ? auditPatientKey(patient) : [label],
      reason: decision.reason,
    });
    return { ...decision, found: patient !== null };
  }

  /** A search: one record for the whole answer, naming every patient and study it disclosed. */
  async recordSearch(ctx: AccessContext, type: ResourceType, hits: readonly { patient?: string | null; study?: string | null }[], detail?: Record<string, unknown>): Promise<void> {
    await this.record(ctx, {
      action: 'search',
      outcome: 'allowed',
      resourceType: type,
      patients: hits.map((h) => h.patient).filter((p): p is string => !!p),
      studies: hits.map((h) => h.study).filter((s): s is string => !!s),
      reason: "filtered in SQL by the caller's exam scopes",
      detail: { ...detail, results: hits.length },
    });
  }

  /** Writes one audit record for this context; rejects (AuditUnavailableError) when it cannot be made durable. */
  record(ctx: AccessContext, r: Omit<AuditRecord, 'userId' | 'roles' | 'site' | 'door' | 'clientAddress'>): Promise<void> {
    const who = subjectLabel(ctx.subject);
    return this.audit.record({ ...r, userId: who.id, roles: who.roles, site: who.site, door: ctx.door, clientAddress: ctx.clientAddress });
  }

  /**
   * Break-the-glass: a time-limited grant of the study to this user, with the stated reason,
   * audited (and so shown in the patient's access log). The grant opens the exam for what the
   * user's role may do; it does not widen the role.
   */
  async breakGlass(ctx: AccessContext, studyUid: string, reason: string): Promise<{ grantId: string; expiresAt: string; facts: ExamFacts }> {
    if (ctx.subject.kind !== 'user') throw new EmergencyRefusedError('only a signed-in professional may break the glass');
    const facts = await this.facts.exam(this.policy, { studyUid });
    const allowed = this.policy.mayBreakGlass(ctx.subject) && facts?.studyUid === studyUid;
    const expiresAt = new Date(this.clock.now().getTime() + this.policy.emergencyMinutes * 60_000);
    await this.record(ctx, {
      action: 'emergency-access',
      outcome: allowed ? 'allowed' : 'denied',
      resourceType: 'study',
      resourceId: studyUid,
      patients: facts ? auditPatientKey(facts) : [],
      studies: [studyUid],
      reason: allowed ? `break-the-glass: ${reason}` : 'break-the-glass refused',
      detail: { expiresAt: expiresAt.toISOString(), statedReason: reason },
    });
    if (!facts || facts.studyUid !== studyUid) throw new EmergencyRefusedError(`no study ${studyUid}`, 404);
    if (!allowed) throw new EmergencyRefusedError(`the roles ${ctx.subject.roles.join(', ')} may not break the glass`);
    const grantId = randomUUID();
    await this.ds.query(`INSERT INTO access_grant (id, study_uid, grantee, kind, reason, granted_by, expires_at) VALUES ($1, $2, $3, 'emergency', $4, $5, $6)`, [
      grantId,
      studyUid,
      `user:${ctx.subject.id}`,
      reason,
      ctx.subject.id,
      expiresAt,
    ]);
    return { grantId, expiresAt: expiresAt.toISOString(), facts };
  }

  /** Records where a STOW-RS upload came from: the uploader's site is the study's origin site. */
  async recordOrigin(studyUids: readonly string[], site: string | null): Promise<void> {
    if (!site || !studyUids.length) return;
    await this.ds.query(`INSERT INTO study_origin (study_uid, site) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING`, [[...new Set(studyUids)], site]);
  }
}
