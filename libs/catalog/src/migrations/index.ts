import { Catalog1764288000000 } from './1764288000000-catalog';
import { DoseRegistry1765000000000 } from './1765000000000-dose-registry';

/** Every migration, in order. New migrations are appended here so builds need no glob at run time. */
export const MIGRATIONS = [Catalog1764288000000, DoseRegistry1765000000000];
