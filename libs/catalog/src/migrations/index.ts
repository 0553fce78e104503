import { Catalog1764288000000 } from './1764288000000-catalog';
import { IngestRedrive1767400000000 } from './1767400000000-ingest-redrive';
import { CatalogueScale1767600000000 } from './1767600000000-catalogue-scale';
import { InstanceMetadata1768120000000 } from './1768120000000-instance-metadata';

/** The catalogue's migrations (patient, study, series, instance, forwarding jobs, ingest re-drive, scale, WADO-RS metadata), in order. */
export const CATALOG_MIGRATIONS = [Catalog1764288000000, IngestRedrive1767400000000, CatalogueScale1767600000000, InstanceMetadata1768120000000];
