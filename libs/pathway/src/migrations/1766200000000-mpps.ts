import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Modality Performed Procedure Steps received by the DICOM gateway (N-CREATE, then N-SET until
 * COMPLETED or DISCONTINUED). The whole data set is kept as DICOM JSON (`attributes`, merged after
 * each N-SET); the columns beside it are what the pathway matches and filters on, copied out of it
 * when it is written. `request_id` / `matched` are set by the pathway's matcher, never by the
 * gateway: an MPPS is accepted whether or not it names a known request (unscheduled exams exist).
 */
export class Mpps1766200000000 implements MigrationInterface {
  name = 'Mpps1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mpps (
        sop_instance_uid text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('IN PROGRESS', 'COMPLETED', 'DISCONTINUED')),
        calling_ae text NOT NULL,
        performed_station_ae text,
        modality text,
        accession_number text,
        study_instance_uid text,
        requested_procedure_id text,
        sps_id text,
        started_at timestamptz,
        ended_at timestamptz,
        attributes jsonb NOT NULL,
        request_id uuid NULL,
        matched boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The matcher looks an MPPS up by the keys the modality copied from the worklist.
    await q.query('CREATE INDEX mpps_accession_idx ON mpps (accession_number) WHERE accession_number IS NOT NULL');
    await q.query('CREATE INDEX mpps_study_uid_idx ON mpps (study_instance_uid) WHERE study_instance_uid IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS mpps');
  }
}
