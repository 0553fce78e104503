import { ArchiveLifecycle1767600100000 } from './1767600100000-archive-lifecycle';
import { ArchiveEventsToAudit1767770000001 } from './1767770000001-archive-events-to-audit';

/** The archive lifecycle's migrations (study_archive, archive_instance, the filing trigger on study; its events now in libs/audit's trail). */
export const ARCHIVE_MIGRATIONS = [ArchiveLifecycle1767600100000, ArchiveEventsToAudit1767770000001];
