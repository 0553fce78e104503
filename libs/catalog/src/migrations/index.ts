import { Catalog1764288000000 } from './1764288000000-catalog';

/** The catalogue's migrations (patient, study, series, instance, forwarding jobs), in order. */
export const CATALOG_MIGRATIONS = [Catalog1764288000000];
