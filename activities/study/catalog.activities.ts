import type { CatalogService } from '@krypton/catalog';
import type { CatalogActivities } from '@krypton/workflows/study';

/** Idempotent: marking a study stable twice sets the same column twice. */
export function createCatalogActivities(catalog: CatalogService): CatalogActivities {
  return {
    async markStudyStable(studyUid) {
      await catalog.markStable(studyUid);
    },
  };
}
