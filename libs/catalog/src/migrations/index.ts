import { Catalog1764288000000 } from './1764288000000-catalog';

/** Every migration, in order. New migrations are appended here so builds need no glob at run time. */
export const MIGRATIONS = [Catalog1764288000000];
