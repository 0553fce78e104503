import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A patient's objection to sharing, as stored. */
export interface PatientOpposition {
  /** `ins:<INS>` or `pid:<issuer>|<patientId>`. */
  readonly patientKey: string;
  readonly opposed: boolean;
  readonly reason: string | null;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

/** The opposition key of a patient named by INS (15 digits) or `issuer|patientId`. */
export function oppositionKey(patient: string): string {
  return /^\d{15}$/.test(patient) ? `ins:${patient}` : `pid:${patient}`;
}

/**
 * A patient's opposition to sharing (RGPD, Code de la santé publique L.1110-4). The study_grant
 * view ignores share and link grants of an opposed patient, so existing shares stop working the
 * moment the flag is set, and work again if it is lifted before they expire. Break-the-glass
 * grants are not silenced. Routing and prior fetches ask `opposedStudies`.
 */
@Injectable()
export class PatientOppositionStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async set(patientKey: string, opposed: boolean, reason: string | null, by: string, at: Date): Promise<PatientOpposition> {
    const [r] = await this.ds.query(
      `INSERT INTO patient_opposition (patient_key, opposed, reason, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (patient_key) DO UPDATE SET opposed = EXCLUDED.opposed, reason = EXCLUDED.reason, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
       RETURNING patient_key, opposed, reason, updated_by, updated_at`,
      [patientKey, opposed, reason, by, at],
    );
    return toOpposition(r);
  }

  async get(patientKey: string): Promise<PatientOpposition | null> {
    const [r] = await this.ds.query(`SELECT patient_key, opposed, reason, updated_by, updated_at FROM patient_opposition WHERE patient_key = $1`, [patientKey]);
    return r ? toOpposition(r) : null;
  }

  /** Whether any of these keys (`ins:<INS>`, `pid:<issuer>|<id>`: one patient's identities) opposes sharing. */
  async opposedAny(patientKeys: readonly string[]): Promise<boolean> {
    if (!patientKeys.length) return false;
    const rows = await this.ds.query(`SELECT 1 FROM patient_opposition WHERE opposed AND patient_key = ANY($1::text[]) LIMIT 1`, [[...patientKeys]]);
    return rows.length > 0;
  }

  /** Those of these studies whose patient (by INS or by issuer and ID) opposes sharing. */
  async opposedStudies(studyUids: readonly string[]): Promise<string[]> {
    if (!studyUids.length) return [];
    const rows: { study_uid: string }[] = await this.ds.query(
      `SELECT DISTINCT s.study_uid FROM study s JOIN patient p ON p.id = s.patient_fk
         JOIN patient_opposition o ON o.opposed AND (o.patient_key = 'ins:' || p.ins OR o.patient_key = 'pid:' || p.issuer || '|' || p.patient_id)
        WHERE s.study_uid = ANY($1::text[])`,
      [[...studyUids]],
    );
    return rows.map((r) => r.study_uid);
  }
}

function toOpposition(r: { patient_key: string; opposed: boolean; reason: string | null; updated_by: string; updated_at: Date }): PatientOpposition {
  return { patientKey: r.patient_key, opposed: r.opposed, reason: r.reason, updatedBy: r.updated_by, updatedAt: new Date(r.updated_at).toISOString() };
}
