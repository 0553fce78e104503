import type { CatalogService } from '@krypton/catalog';

export interface CatalogActivities {
  markStudyStable(studyUid: string): Promise<void>;
}

/** Idempotent: marking a study stable twice sets the same column twice. */
export function createCatalogActivities(catalog: CatalogService): CatalogActivities {
  return {
    async markStudyStable(studyUid) {
      await catalog.markStable(studyUid);
    },
  };
}
