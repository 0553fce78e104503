import { Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { Client } from '@temporalio/client';
import type { Principal } from '@krypton/auth';
import { DoseAlertStore } from '@krypton/dose-registry';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { doseAlertQuery, followUpUpdate, reviewUpdate, DOSE_ALERT_ROLE_REFUSED, DOSE_ALERT_WRONG_STATE, type DoseAlertView } from '@krypton/workflows/dose';
import { runWorkflowUpdate } from '../common/workflow-update';
import type { FollowUpDto, ReviewDto } from './dose-alert-answer.dto';

const ALERT_ID = /^[a-z0-9-]{1,120}$/;

/**
 * The answers to a dose alert (review, follow-up): Temporal Updates of the alert's workflow, whose
 * refusals become HTTP errors. The REST API and the physicist's console both answer through here.
 */
@Injectable()
export class DoseAlertActions {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly store: DoseAlertStore,
  ) {}

  /** @throws UnprocessableEntityException for a malformed id, NotFoundException for an unknown one. */
  async get(id: string): Promise<Record<string, unknown>> {
    if (!ALERT_ID.test(id)) throw new UnprocessableEntityException(`id: "${id}" is not a dose alert id`);
    const alert = await this.store.get(id);
    if (!alert) throw new NotFoundException(`id: no dose alert ${id}`);
    return alert;
  }

  review(id: string, who: Principal, body: ReviewDto): Promise<DoseAlertView> {
    return this.update(id, (h) => h.executeUpdate(reviewUpdate, { args: [{ by: who.name, roles: who.roles, ...body }] }));
  }

  followUp(id: string, who: Principal, body: FollowUpDto): Promise<DoseAlertView> {
    return this.update(id, (h) => h.executeUpdate(followUpUpdate, { args: [{ by: who.name, roles: who.roles, ...body }] }));
  }

  private async update(id: string, run: (h: ReturnType<Client['workflow']['getHandle']>) => Promise<unknown>): Promise<DoseAlertView> {
    const alert = await this.get(id);
    const handle = this.temporal.workflow.getHandle(alert.workflowId as string);
    await runWorkflowUpdate(handle, run, { roleRefused: DOSE_ALERT_ROLE_REFUSED, wrongState: DOSE_ALERT_WRONG_STATE, subject: `dose alert ${id}` });
    return handle.query(doseAlertQuery);
  }
}
