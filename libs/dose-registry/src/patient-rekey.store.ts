import type { EntityManager } from 'typeorm';

/**
 * Dose rows carry the catalogue's patient (`patient_fk`, denormalised for the history query).
 * A merge moves them to the surviving patient inside libs/patient-identity's transaction `m`;
 * alerts keep their ids (derived once, at opening). Running it twice changes nothing more.
 * @returns how many dose rows moved
 */
export async function rekeyDosePatient(m: EntityManager, fromPatient: string, toPatient: string): Promise<number> {
  let moved = 0;
  for (const table of ['dose_exam', 'dose_event', 'dose_alert']) {
    const [, n]: [unknown, number] = await m.query(`UPDATE ${table} SET patient_fk = $2 WHERE patient_fk = $1`, [fromPatient, toPatient]);
    moved += n;
  }
  return moved;
}
