import type { EntityManager } from 'typeorm';
import { localPatientKey } from '@krypton/patient-match';
import type { RequestPatient } from './new-request';

/** The columns `exam_request` is searched by, derived from its patient (local ids as the patient-matching rule's `issuer|value` key). */
export function patientColumns(p: RequestPatient): { ins: string | null; localIds: string[]; familyName: string } {
  return { ins: p.ins ?? null, localIds: p.identifiers.map((i) => localPatientKey(i.issuer, i.value)), familyName: p.familyName };
}

/**
 * Re-keys the patient of every request holding one of `localIds` (or `ins`), locked for the
 * transaction `m` of libs/patient-identity (an ADT update or merge). `change` gives a request's
 * new patient, or undefined when it stays as it is: only rows whose patient changes are written.
 * The worklist items published from them follow with `syncWorklistPatients`.
 * @returns how many requests hold the patient, and the ids of those rewritten.
 */
export async function rekeyRequestPatients(
  m: EntityManager,
  localIds: readonly string[],
  ins: string | null,
  change: (current: RequestPatient) => RequestPatient | undefined,
): Promise<{ matched: number; requests: string[] }> {
  if (localIds.length === 0 && !ins) return { matched: 0, requests: [] };
  const rows: { id: string; patient: RequestPatient }[] = await m.query(
    `SELECT id, patient FROM exam_request WHERE patient_local_ids && $1::text[] OR ($2::text IS NOT NULL AND patient_ins = $2) ORDER BY id FOR UPDATE`,
    [localIds, ins],
  );
  const changed: string[] = [];
  for (const row of rows) {
    const next = change(row.patient);
    if (!next) continue;
    const c = patientColumns(next);
    await m.query(`UPDATE exam_request SET patient = $2, patient_ins = $3, patient_local_ids = $4, patient_family_name = $5, updated_at = now() WHERE id = $1`, [
      row.id,
      JSON.stringify(next),
      c.ins,
      c.localIds,
      c.familyName,
    ]);
    changed.push(row.id);
  }
  return { matched: rows.length, requests: changed };
}

/** Worklist items carry a copy of the request's patient: the modality sees the corrected one. @returns items changed */
export async function syncWorklistPatients(m: EntityManager, requestIds: readonly string[]): Promise<number> {
  if (requestIds.length === 0) return 0;
  const [, n]: [unknown, number] = await m.query(
    `UPDATE worklist_item w SET patient = r.patient, updated_at = now() FROM exam_request r
      WHERE w.request_id = r.id AND r.id = ANY($1::uuid[]) AND w.patient IS DISTINCT FROM r.patient`,
    [requestIds],
  );
  return n;
}
