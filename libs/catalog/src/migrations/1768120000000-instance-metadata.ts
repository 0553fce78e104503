import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * WADO-RS metadata of an instance (its DICOM JSON, bulk data by URI) as computed from its file,
 * kept for the next request (InstanceMetadataStore): metadata is then one query and a
 * concatenation instead of reading and parsing every file of the series. Filled lazily by the
 * first metadata request, not at ingest (indexing stays as cheap as it is). A row holds for the
 * instance's `received_at` and `file_size` it was computed from (a replaced object is re-indexed
 * with a new time, a recalled one may change size) and for the origin its BulkDataURIs name; it
 * goes with its instance.
 */
export class InstanceMetadata1768120000000 implements MigrationInterface {
  name = 'InstanceMetadata1768120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE instance_metadata (
        instance_fk bigint NOT NULL REFERENCES instance(id) ON DELETE CASCADE,
        origin text NOT NULL,
        received_at timestamptz NOT NULL,
        file_size bigint NOT NULL,
        json text NOT NULL,
        PRIMARY KEY (instance_fk, origin)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE instance_metadata`);
  }
}
