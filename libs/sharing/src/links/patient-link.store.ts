import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export type SecondFactor = 'birth-date' | 'code';

/** A patient link as the API shows it (never its token or code). */
export interface PatientLink {
  readonly id: string;
  readonly studyInstanceUid: string;
  readonly patientIns: string | null;
  readonly secondFactor: SecondFactor;
  /** Where the one-time code was sent (second factor `code`). */
  readonly codeSentTo: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
  readonly lockedAt: string | null;
  readonly failedAttempts: number;
  readonly openedCount: number;
  readonly lastOpenedAt: string | null;
}

export interface StoredLink extends PatientLink {
  /** The audit's patient key (INS, else issuer|patientId). */
  readonly patientKey: string;
  readonly codeHash: string | null;
}

interface LinkRow {
  id: string;
  study_uid: string;
  patient_ins: string | null;
  patient_key: string;
  second_factor: SecondFactor;
  code_hash: string | null;
  code_sent_to: string | null;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  locked_at: Date | null;
  failed_attempts: number;
  opened_count: number;
  last_opened_at: Date | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toLink(r: LinkRow): StoredLink {
  return {
    id: r.id,
    studyInstanceUid: r.study_uid,
    patientIns: r.patient_ins,
    patientKey: r.patient_key,
    secondFactor: r.second_factor,
    codeHash: r.code_hash,
    codeSentTo: r.code_sent_to,
    createdBy: r.created_by,
    createdAt: iso(r.created_at) as string,
    expiresAt: iso(r.expires_at) as string,
    revokedAt: iso(r.revoked_at),
    revokedBy: r.revoked_by,
    lockedAt: iso(r.locked_at),
    failedAttempts: r.failed_attempts,
    openedCount: r.opened_count,
    lastOpenedAt: iso(r.last_opened_at),
  };
}

/** What the API may show of a stored link. */
export function publicLink(l: StoredLink): PatientLink {
  const { patientKey: _k, codeHash: _c, ...rest } = l;
  return rest;
}

/** The `patient_link` and `patient_link_session` tables (libs/sharing owns them). */
@Injectable()
export class PatientLinkStore {
  constructor(@InjectDataSource() readonly ds: DataSource) {}

  async insert(
    l: {
      id: string;
      tokenSha256: string;
      studyUid: string;
      patientIns: string | null;
      patientKey: string;
      secondFactor: SecondFactor;
      codeHash: string | null;
      codeSentTo: string | null;
      createdBy: string;
      createdAt: Date;
      expiresAt: Date;
    },
    em: EntityManager,
  ): Promise<void> {
    await em.query(
      `INSERT INTO patient_link (id, token_sha256, study_uid, patient_ins, patient_key, second_factor, code_hash, code_sent_to, created_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [l.id, l.tokenSha256, l.studyUid, l.patientIns, l.patientKey, l.secondFactor, l.codeHash, l.codeSentTo, l.createdBy, l.createdAt, l.expiresAt],
    );
  }

  async byId(id: string): Promise<StoredLink | null> {
    const [r] = await this.ds.query(`SELECT * FROM patient_link WHERE id = $1`, [id]);
    return r ? toLink(r) : null;
  }

  async byToken(tokenSha256: string): Promise<StoredLink | null> {
    const [r] = await this.ds.query(`SELECT * FROM patient_link WHERE token_sha256 = $1`, [tokenSha256]);
    return r ? toLink(r) : null;
  }

  async ofStudy(studyUid: string): Promise<StoredLink[]> {
    return (await this.ds.query(`SELECT * FROM patient_link WHERE study_uid = $1 ORDER BY created_at DESC`, [studyUid])).map(toLink);
  }

  async ofPatient(ins: readonly string[]): Promise<StoredLink[]> {
    return (await this.ds.query(`SELECT * FROM patient_link WHERE patient_ins = ANY($1::text[]) ORDER BY created_at DESC`, [[...ins]])).map(toLink);
  }

  /** Counts a wrong answer and locks the link at `max`, atomically (two api copies, one count). */
  async failedAttempt(id: string, max: number, at: Date): Promise<{ failedAttempts: number; locked: boolean }> {
    // TypeORM answers an UPDATE on PostgreSQL with [rows, affected].
    const [[r]] = await this.ds.query(
      `UPDATE patient_link SET failed_attempts = failed_attempts + 1, locked_at = CASE WHEN failed_attempts + 1 >= $2 THEN coalesce(locked_at, $3) ELSE locked_at END
        WHERE id = $1 RETURNING failed_attempts, locked_at`,
      [id, max, at],
    );
    return { failedAttempts: r.failed_attempts, locked: r.locked_at !== null };
  }

  async opened(id: string, session: { tokenSha256: string; expiresAt: Date }, at: Date): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query(`UPDATE patient_link SET failed_attempts = 0, opened_count = opened_count + 1, last_opened_at = $2 WHERE id = $1`, [id, at]);
      await em.query(`INSERT INTO patient_link_session (token_sha256, link_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`, [session.tokenSha256, id, at, session.expiresAt]);
    });
  }

  async revoke(id: string, by: string, at: Date, em: EntityManager): Promise<void> {
    await em.query(`UPDATE patient_link SET revoked_at = coalesce(revoked_at, $3), revoked_by = coalesce(revoked_by, $2) WHERE id = $1`, [id, by, at]);
    await em.query(`DELETE FROM patient_link_session WHERE link_id = $1`, [id]);
  }

  /** A session in force at `at`, with its link still usable (not revoked, locked or expired). */
  async session(tokenSha256: string, at: Date): Promise<{ linkId: string; studyUid: string; expiresAt: Date } | null> {
    const [r] = await this.ds.query(
      `SELECT l.id, l.study_uid, least(s.expires_at, l.expires_at) AS expires_at FROM patient_link_session s JOIN patient_link l ON l.id = s.link_id
        WHERE s.token_sha256 = $1 AND s.expires_at > $2 AND l.expires_at > $2 AND l.revoked_at IS NULL AND l.locked_at IS NULL`,
      [tokenSha256, at],
    );
    return r ? { linkId: r.id, studyUid: r.study_uid, expiresAt: new Date(r.expires_at) } : null;
  }
}
