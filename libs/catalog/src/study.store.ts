import type { EntityManager } from 'typeorm';

/** A data source or a transaction's manager: both run a query. */
type Queryable = Pick<EntityManager, 'query'>;

/**
 * What other modules may change in the catalogue's study and instance rows, through the catalogue:
 * libs/archive's lifecycle removes a deleted study and keeps a recalled object's size true.
 */

/** Removes the study and, by cascade, its series and instances (their files are the caller's to remove first). */
export async function deleteCatalogStudy(q: Queryable, studyUid: string): Promise<void> {
  await q.query('DELETE FROM study WHERE study_uid = $1', [studyUid]);
}

/** The stored object's size changed (decompressed on recall): WADO's Content-Length must stay true. */
export async function setInstanceFileSize(q: Queryable, sopInstanceUid: string, fileSize: number): Promise<void> {
  await q.query('UPDATE instance SET file_size = $2 WHERE sop_instance_uid = $1', [sopInstanceUid, fileSize]);
}
