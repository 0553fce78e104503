import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@krypton/database';
import { extractDose, type DoseReport } from '@krypton/dose-extraction';
import { syntheticFluoroscopyRdsr } from '../../libs/dose-extraction/src/testing/synthetic-rdsr';
import { DoseRegistryService } from '../../libs/dose-registry/src/dose-registry.service';
import { examContext } from '../../libs/dose-registry/src/exam-context';

const PATIENT = { patientId: 'BENCH-PATHWAY', issuer: 'BENCH' };

/**
 * Simulates "the RDSR of the study was received and registered": each study gets a dose exam
 * written by the dose registry's own service (same transaction, same rows as a real RDSR ingest),
 * from a synthetic 3-event fluoroscopy report whose UIDs are rewritten per study. What it skips is
 * storing and parsing a DICOM file, which is not what the pathway benchmark measures.
 */
export class DoseSeeder {
  private readonly ds: DataSource;
  private readonly registry: DoseRegistryService;
  private readonly dataset = syntheticFluoroscopyRdsr({ eventCount: 3 });
  private readonly template: DoseReport = extractDose(this.dataset);

  constructor(dbUrl: string) {
    this.ds = new DataSource({ ...dataSourceOptions(dbUrl), extra: { max: 8 } });
    this.registry = new DoseRegistryService(this.ds);
  }

  async open(): Promise<void> {
    await this.ds.initialize();
    // The registry files dose under a catalogue patient (indexing runs before dose ingest).
    await this.ds.query(`INSERT INTO patient (patient_id, issuer, name) VALUES ($1, $2, 'BENCH^PATHWAY') ON CONFLICT DO NOTHING`, [PATIENT.patientId, PATIENT.issuer]);
  }

  async record(studyUid: string): Promise<void> {
    const report: DoseReport = {
      ...this.template,
      sopInstanceUid: `${studyUid}.9`,
      studyInstanceUid: studyUid,
      events: this.template.events.map((e, i) => ({ ...e, irradiationEventUid: `${studyUid}.8.${i + 1}` })),
    };
    const ctx = examContext(this.dataset, report, { studyUid, modality: 'SR', studyDate: null, studyTime: null, stationName: 'BENCH-XA', sourceAe: 'MODALITY1' }, () => 'chu-nord', new Date());
    await this.registry.record(report, ctx, PATIENT);
  }

  async close(): Promise<void> {
    await this.ds.destroy();
  }
}
