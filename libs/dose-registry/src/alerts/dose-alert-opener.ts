import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { doseAlertRef, doseAlertWorkflowId } from '@krypton/workflows/dose';
import type { RecordedExam } from '../dose-registry.service';
import { alertId } from './alert-id';
import { DoseAlertStore } from './dose-alert.store';
import { crossedThresholds, cumulativeColumn } from './threshold-evaluator';

/**
 * Checks the configured thresholds after each ingest and starts one dose-alert workflow per
 * crossing. Row first, then workflow: if the start fails the job is retried, the row is found
 * again (same id) and the start is retried; a workflow already running is left alone.
 */
@Injectable()
export class DoseAlertOpener {
  private readonly log = new Logger('DoseAlerts');

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly store: DoseAlertStore,
  ) {}

  async check(exam: RecordedExam): Promise<string[]> {
    const { alerts } = this.cfg.dose;
    if (!alerts.enabled || alerts.thresholds.length === 0) return [];
    const cumulative = new Map<string, number>();
    for (const t of alerts.thresholds) {
      const column = cumulativeColumn(t.quantity);
      if (t.scope === 'patient' && column && t.windowDays) {
        cumulative.set(t.id, await this.store.cumulative(exam.patientFk, column, t.windowDays, exam.performedAt));
      }
    }
    const opened: string[] = [];
    for (const c of crossedThresholds(alerts.thresholds, exam, cumulative)) {
      const id = alertId(c, exam.examId, exam.patientFk);
      const rule = alerts.thresholds.find((t) => t.id === c.ruleId);
      if (c.scope === 'patient' && rule?.windowDays && (await this.store.hasRecentPatientAlert(c.ruleId, exam.patientFk, rule.windowDays, id))) continue;
      const workflowId = doseAlertWorkflowId(id);
      await this.store.open({ id, workflowId, candidate: c, patientFk: exam.patientFk, examId: exam.examId, site: exam.site });
      try {
        await this.temporal.workflow.start(doseAlertRef, {
          workflowId,
          taskQueue: this.cfg.temporal.taskQueue,
          args: [{ alertId: id, reminderEveryMs: Math.round(alerts.reminderEveryHours * 3600_000) }],
        });
        this.log.warn({ alertId: id, rule: c.ruleId, value: c.value, threshold: c.threshold }, 'dose alert opened');
      } catch (e) {
        if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
      }
      opened.push(id);
    }
    return opened;
  }
}
