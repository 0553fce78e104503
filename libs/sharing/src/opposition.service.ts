import { Inject, Injectable } from '@nestjs/common';
import { ACCESS_CLOCK, AccessContext, AccessService, Clock, oppositionKey, PatientOpposition, PatientOppositionStore } from '@krypton/access';
import { actorOf, administersSharing } from './sharing-actor';
import { SharingRefusedError } from './sharing-errors';

/**
 * A patient's opposition to sharing. The patient states it for themselves (their INS); an
 * administrator or the DPO records one received otherwise (on paper, at a desk). Setting it stops
 * existing shares and links at once (the study_grant view silences them) and refuses new ones;
 * lifting it lets unexpired, unrevoked ones work again. Break-the-glass is not affected.
 */
@Injectable()
export class OppositionService {
  constructor(
    private readonly access: AccessService,
    private readonly store: PatientOppositionStore,
    @Inject(ACCESS_CLOCK) private readonly clock: Clock,
  ) {}

  async get(ctx: AccessContext, patient: string): Promise<PatientOpposition> {
    const key = await this.authorize(ctx, patient);
    await this.access.record(ctx, { action: 'read-metadata', outcome: 'allowed', resourceType: 'sharing', resourceId: `opposition:${key}`, patients: [patient], reason: 'opposition read' });
    return (await this.store.get(key)) ?? { patientKey: key, opposed: false, reason: null, updatedBy: '', updatedAt: '' };
  }

  async set(ctx: AccessContext, patient: string, opposed: boolean, reason: string | null): Promise<PatientOpposition> {
    const key = await this.authorize(ctx, patient, true);
    const actor = actorOf(ctx);
    const saved = await this.store.set(key, opposed, reason, actor.id, this.clock.now());
    await this.access.record(ctx, {
      action: 'write',
      outcome: 'allowed',
      resourceType: 'sharing',
      resourceId: `opposition:${key}`,
      patients: [patient],
      reason: opposed ? `opposition to sharing recorded${reason ? `: ${reason}` : ''}` : 'opposition to sharing lifted',
    });
    return saved;
  }

  /** The patient themselves (by INS) or whoever administers sharing; anyone else is refused (audited). */
  private async authorize(ctx: AccessContext, patient: string, write = false): Promise<string> {
    const actor = actorOf(ctx);
    const self = /^\d{15}$/.test(patient) && actor.ins.includes(patient);
    if (!self && !administersSharing(this.access, ctx)) {
      await this.access.record(ctx, {
        action: write ? 'write' : 'read-metadata',
        outcome: 'denied',
        resourceType: 'sharing',
        resourceId: `opposition:${oppositionKey(patient)}`,
        patients: [patient],
        reason: 'neither the patient nor an administrator of sharing',
      });
      throw new SharingRefusedError('only the patient (by their INS), an administrator or the DPO states an opposition to sharing', 403);
    }
    return oppositionKey(patient);
  }
}
