import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The text of one of the catalogue's SQL files (this folder), for the migration that applies it.
 * The indexing function is PL/pgSQL so that filing an instance stays one round trip; it lives in
 * `.sql` files, one per version, so that it reads (and diffs) as SQL rather than as a string in a
 * migration. Files are never edited once a migration has applied them: a change is a new version.
 */
export function catalogSql(file: string): string {
  return readFileSync(join(__dirname, file), 'utf8');
}
