import type { EntityManager } from 'typeorm';
import { anyPatientSqlCondition, numberPlaceholders, PatientSelector, patientSqlCondition } from '@krypton/patient-match';

const FOREIGN_KEY_VIOLATION = '23503';

/** A patient's demographics as the catalogue's `patient` row holds them (DICOM PN and sex). */
export interface CatalogDemographics {
  readonly name: string;
  readonly birthDate: string | null;
  readonly sex: string | null;
  readonly ins: string | null;
}

/**
 * The catalogue's side of a patient update or merge (libs/patient-identity drives them, in its
 * transaction `m`). The catalogue is authoritative for patient identity, as in dcm4chee's patient
 * update: stored DICOM files keep the PatientID and name they were received with, and QIDO,
 * C-FIND and the viewer answer from these rows. Every statement changes nothing more when run twice.
 */

/** A08: new demographics on every row the selectors name; an absent birth date, sex or INS keeps the stored one. @returns rows changed */
export async function updateCatalogDemographics(m: EntityManager, selectors: readonly PatientSelector[], d: CatalogDemographics): Promise<number> {
  const who = anyPatientSqlCondition(selectors);
  const [, changed]: [unknown, number] = await m.query(
    `UPDATE patient p SET name = $1, birth_date = coalesce($2, p.birth_date), sex = coalesce($3, p.sex), ins = coalesce($4, p.ins), updated_at = now()
     WHERE ${numberPlaceholders(who, 5)}
       AND (p.name IS DISTINCT FROM $1 OR p.birth_date IS DISTINCT FROM coalesce($2, p.birth_date)
         OR p.sex IS DISTINCT FROM coalesce($3, p.sex) OR p.ins IS DISTINCT FROM coalesce($4, p.ins))`,
    [d.name, d.birthDate, d.sex, d.ins, ...who.params],
  );
  return changed;
}

export async function catalogKnowsPatient(m: EntityManager, selectors: readonly PatientSelector[]): Promise<boolean> {
  const who = anyPatientSqlCondition(selectors);
  const rows = await m.query(`SELECT 1 FROM patient p WHERE ${numberPlaceholders(who)} LIMIT 1`, [...who.params]);
  return rows.length > 0;
}

/** The id of the patient row the selector names, locked for the transaction; null when the catalogue has none. */
export async function lockCatalogPatient(m: EntityManager, selector: PatientSelector): Promise<string | null> {
  const c = patientSqlCondition(selector);
  const [row] = await m.query(`SELECT p.id FROM patient p WHERE ${numberPlaceholders(c)} FOR UPDATE`, [...c.params]);
  return row ? String(row.id) : null;
}

/** The patient row of (patientId, issuer), created if the hub has no image of it yet, with these demographics. @returns its id */
export async function upsertCatalogPatient(m: EntityManager, patientId: string, issuer: string, d: CatalogDemographics): Promise<string> {
  const [row] = await m.query(
    `INSERT INTO patient (patient_id, issuer, name, birth_date, sex, ins) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (patient_id, issuer) DO UPDATE SET name = EXCLUDED.name, birth_date = coalesce(EXCLUDED.birth_date, patient.birth_date),
       sex = coalesce(EXCLUDED.sex, patient.sex), ins = coalesce(EXCLUDED.ins, patient.ins), updated_at = now()
     RETURNING id`,
    [patientId, issuer, d.name, d.birthDate, d.sex, d.ins],
  );
  return String(row.id);
}

/** A40: the prior patient's studies now belong to the survivor. @returns their Study Instance UIDs */
export async function moveCatalogStudies(m: EntityManager, fromPatient: string, toPatient: string): Promise<string[]> {
  const [moved]: [{ study_uid: string }[], number] = await m.query('UPDATE study SET patient_fk = $2, updated_at = now() WHERE patient_fk = $1 RETURNING study_uid', [fromPatient, toPatient]);
  return moved.map((s) => s.study_uid);
}

/**
 * The prior patient row is deleted once nothing points at it, rather than kept and marked
 * merged: every catalogue query (QIDO, C-FIND, dose history) would otherwise have to learn to
 * hide it, and the evidence of the merge is the journaled A40 (raw message and its result).
 * If a table the merge does not re-key still references it, it is kept (savepoint, no failure).
 * An image of the old identifier received later files a new row under it, as it should: that is
 * what the image says, and a new A40 merges it.
 */
export async function deleteCatalogPatientIfUnreferenced(m: EntityManager, id: string): Promise<'deleted' | 'kept'> {
  await m.query('SAVEPOINT prior_patient');
  try {
    await m.query('DELETE FROM patient WHERE id = $1', [id]);
    await m.query('RELEASE SAVEPOINT prior_patient');
    return 'deleted';
  } catch (e) {
    if (e?.code !== FOREIGN_KEY_VIOLATION) throw e;
    await m.query('ROLLBACK TO SAVEPOINT prior_patient');
    return 'kept';
  }
}

/** An INS named as a merge's prior identity was wrong: the catalogue stops linking images to it (the survivor's INS, or none). */
export async function replaceCatalogIns(m: EntityManager, priorIns: string, survivingIns: string | null): Promise<void> {
  await m.query('UPDATE patient SET ins = $2, updated_at = now() WHERE ins = $1', [priorIns, survivingIns]);
}
