import { ArchiveLifecycle1767600100000 } from './1767600100000-archive-lifecycle';

/** The archive lifecycle's migrations (study_archive, archive_instance, archive_event, the filing trigger on study). */
export const ARCHIVE_MIGRATIONS = [ArchiveLifecycle1767600100000];
