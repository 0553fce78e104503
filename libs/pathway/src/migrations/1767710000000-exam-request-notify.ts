import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every write of a request's row (a new request, a pathway step mirrored by the worker, a
 * coordinator's action) notifies `exam_request_changed` with the request id, after commit. The
 * console's live lists LISTEN to it and push server-sent events, instead of browsers polling the
 * list every second; whoever writes the row (api, worker, HL7 gateway) needs to know nothing of it.
 */
export class ExamRequestNotify1767710000000 implements MigrationInterface {
  name = 'ExamRequestNotify1767710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION exam_request_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('exam_request_changed', NEW.id::text);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER exam_request_notify AFTER INSERT OR UPDATE ON exam_request FOR EACH ROW EXECUTE FUNCTION exam_request_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER exam_request_notify ON exam_request');
    await q.query('DROP FUNCTION exam_request_notify()');
  }
}
