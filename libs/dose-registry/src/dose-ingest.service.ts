import { Inject, Injectable } from '@nestjs/common';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { extractDose, readPart10 } from '@krypton/dose-extraction';
import { OBJECT_STORE, ObjectStore } from '@krypton/storage';
import { DoseAlertOpener } from './alerts/dose-alert-opener';
import { DoseRegistryService } from './dose-registry.service';
import { DoseSourceMissingError } from './dose-registry-errors';
import { ContextInput, examContext } from './exam-context';

/** What the dose queue carries: the catalogue record of one received instance. */
export interface DoseJobData extends ContextInput {
  readonly storageKey: string;
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly patientId: string;
  readonly issuer: string;
}

export type DoseIngestOutcome =
  | { readonly outcome: 'not-dose' }
  | { readonly outcome: 'other-study'; readonly storedStudyUid: string | null }
  | { readonly outcome: 'recorded'; readonly examId: string; readonly events: number; readonly alerts: readonly string[] };

/** Stored object → dose report → registry rows → threshold checks. Safe to run twice. */
@Injectable()
export class DoseIngestService {
  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    private readonly registry: DoseRegistryService,
    private readonly alerts: DoseAlertOpener,
  ) {}

  async ingest(job: DoseJobData): Promise<DoseIngestOutcome> {
    let bytes: Buffer;
    try {
      bytes = await this.store.get(job.storageKey);
    } catch (e) {
      throw new DoseSourceMissingError(job.storageKey, e);
    }
    // One parse serves both the dose and the header fields the registry keeps (device, protocol).
    const { dataset } = readPart10(bytes);
    const report = extractDose(dataset);
    if (report.kind === 'NOT_DOSE') return { outcome: 'not-dose' };
    // keep-first duplicates: the stored copy is the first one sent, filed under its own study.
    if (report.studyInstanceUid && report.studyInstanceUid !== job.studyUid) return { outcome: 'other-study', storedStudyUid: report.studyInstanceUid };
    const ctx = examContext(dataset, report, job, (ae) => this.siteOf(ae), new Date());
    const exam = await this.registry.record(report, ctx, { patientId: job.patientId, issuer: job.issuer });
    const alerts = await this.alerts.check(exam);
    return { outcome: 'recorded', examId: exam.examId, events: exam.events.length, alerts };
  }

  private siteOf(ae: string | null): string | null {
    if (!ae) return null;
    return this.cfg.aes.find((a) => a.aeTitle === ae)?.site ?? null;
  }
}
