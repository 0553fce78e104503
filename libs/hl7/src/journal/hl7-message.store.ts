import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AckCode } from '../ack-builder';
import type { Hl7Error } from '../hl7-error';
import { messageType, type MshHeader } from '../hl7-message';

export type Hl7MessageStatus = 'applied' | 'pending' | 'duplicate' | 'error' | 'rejected';

export interface ReceivedMessage {
  readonly peer: string;
  readonly header: Partial<MshHeader>;
  readonly raw: Buffer;
  readonly size: number;
  readonly truncated: boolean;
}

export interface MessageOutcome {
  readonly status: Hl7MessageStatus;
  readonly ackCode: AckCode;
  readonly error?: Hl7Error;
  /** ERR severity W lines of an accepted message (recent equivalent exams). */
  readonly warnings?: readonly string[];
  readonly payload?: unknown;
  readonly duplicateOf?: string;
}

/** Another receipt of the same message reached `applied`/`pending` first (see the migration). */
export class AlreadyAppliedError extends Error {
  constructor(readonly messageId: string) {
    super(`message ${messageId} was applied by another receipt`);
    this.name = 'AlreadyAppliedError';
  }
}

const UNIQUE_VIOLATION = '23505';

/** The `hl7_message` journal: written on receipt, completed with the outcome before the ACK leaves. */
@Injectable()
export class Hl7MessageStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async receive(m: ReceivedMessage): Promise<string> {
    const h = m.header;
    const rows = await this.ds.query(
      `INSERT INTO hl7_message (peer, control_id, sending_application, sending_facility, message_type, version, raw, size_bytes, truncated)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        m.peer,
        h.controlId ?? '',
        h.sendingApplication ?? '',
        h.sendingFacility ?? '',
        h.messageCode ? messageType({ messageCode: h.messageCode, triggerEvent: h.triggerEvent ?? '' }) : '',
        h.version ?? '',
        m.raw,
        m.size,
        m.truncated,
      ],
    );
    return String(rows[0].id);
  }

  /** The receipt of this message (same sender and MSH-10) that was applied or filed, if any. */
  async findAccepted(h: Pick<MshHeader, 'sendingApplication' | 'sendingFacility' | 'controlId'>): Promise<string | null> {
    const rows = await this.ds.query(`SELECT id FROM hl7_message WHERE sending_application = $1 AND sending_facility = $2 AND control_id = $3 AND status IN ('applied', 'pending') LIMIT 1`, [
      h.sendingApplication,
      h.sendingFacility,
      h.controlId,
    ]);
    return rows[0] ? String(rows[0].id) : null;
  }

  /**
   * ADT messages filed `pending` (acknowledged AA) by gateways older than ADT application, oldest
   * first: the order of merges matters.
   */
  async filedAdt(): Promise<{ id: string; raw: Buffer }[]> {
    const rows = await this.ds.query(`SELECT id, raw FROM hl7_message WHERE status = 'pending' ORDER BY id`);
    return rows.map((r: { id: string; raw: Buffer }) => ({ id: String(r.id), raw: r.raw }));
  }

  /** @throws AlreadyAppliedError when a concurrent receipt of the same message was applied first. */
  async finish(id: string, o: MessageOutcome): Promise<void> {
    const e = o.error;
    try {
      await this.ds.query(
        `UPDATE hl7_message SET status = $2, ack_code = $3, error_code = $4, error_location = $5, error_text = $6, payload = $7, duplicate_of = $8, processed_at = now()
         WHERE id = $1`,
        [id, o.status, o.ackCode, e?.code ?? null, e?.where ?? null, e?.message ?? null, o.payload === undefined ? null : JSON.stringify(o.payload), o.duplicateOf ?? null],
      );
    } catch (err) {
      if (err?.code === UNIQUE_VIOLATION) throw new AlreadyAppliedError(id);
      throw err;
    }
  }
}
