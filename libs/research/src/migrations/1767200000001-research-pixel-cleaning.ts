import { MigrationInterface, QueryRunner } from 'typeorm';

/** A project's pixel-cleaning rules: devices whose burned-in text it blanks instead of quarantining. */
export class ResearchPixelCleaning1767200000001 implements MigrationInterface {
  name = 'ResearchPixelCleaning1767200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE research_project ADD COLUMN pixel_cleaning jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE research_project DROP COLUMN pixel_cleaning`);
  }
}
