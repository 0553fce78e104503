import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The reference DICOM corpus lives outside the repository (../shared/data from the project
 * root) and is read in place, never copied in. Test-only helper.
 */
export const SHARED_DATA = resolve(__dirname, '../../../../../shared/data');
export const RDSR_DIR = join(SHARED_DATA, 'rdsr');
export const IMAGES_DIR = join(SHARED_DATA, 'images');

export function sharedFile(dir: 'rdsr' | 'images', name: string): string {
  return join(SHARED_DATA, dir, name);
}

export function readShared(dir: 'rdsr' | 'images', name: string): Buffer {
  return readFileSync(sharedFile(dir, name));
}

export function listShared(dir: 'rdsr' | 'images'): string[] {
  return readdirSync(join(SHARED_DATA, dir))
    .filter((f) => f.endsWith('.dcm'))
    .sort();
}
