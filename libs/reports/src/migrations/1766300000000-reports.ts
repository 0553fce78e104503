import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed radiology reports: one row per signature, the first `version` 1 and each addendum the
 * next. A row is written in the same transaction that stored its DICOM copy in the archive, and
 * never changes afterwards: it is the medico-legal record of what the radiologist signed.
 *
 * - `idem_key` is the signing activity's key: Temporal retries an activity whose answer it lost,
 *   and a retry must find this row rather than sign a second version.
 * - The PDF is kept here as well as inside the DICOM object: the report must outlive a study
 *   purged from the archive, and PostgreSQL moves large values out of line (TOAST), so listing
 *   reports without the `pdf` column does not read it.
 * - No ON DELETE CASCADE from `exam_request`: deleting a request must not silently delete what was
 *   signed for it.
 */
export class Reports1766300000000 implements MigrationInterface {
  name = 'Reports1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report (
        id uuid PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES exam_request(id),
        version integer NOT NULL CHECK (version >= 1),
        -- Addenda are new versions, not new states; 'final' is the only state a signed report has today.
        status text NOT NULL DEFAULT 'final' CHECK (status IN ('final')),
        idem_key text NOT NULL,
        radiologist text NOT NULL,
        radiologist_id text,
        signed_at timestamptz NOT NULL,
        technique text,
        findings text NOT NULL,
        conclusion text NOT NULL,
        rendered_text text NOT NULL,
        pdf bytea NOT NULL,
        pdf_sha256 text NOT NULL,
        study_instance_uid text NOT NULL,
        series_instance_uid text NOT NULL,
        sop_instance_uid text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT report_idem_key_uq UNIQUE (idem_key),
        CONSTRAINT report_sop_instance_uq UNIQUE (sop_instance_uid),
        -- Also the index of "latest version of a request" (ORDER BY version DESC LIMIT 1).
        CONSTRAINT report_request_version_uq UNIQUE (request_id, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS report');
  }
}
