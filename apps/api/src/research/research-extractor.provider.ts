import { Provider } from '@nestjs/common';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { researchExtractor, ResearchProjectStore } from '@krypton/research';
import { OBJECT_STORE, ObjectStore } from '@krypton/storage';

/** The API uses the extractor only for where deliveries are (archive, manifest). */
export const RESEARCH_EXTRACTOR = 'RESEARCH_EXTRACTOR';

export const researchExtractorProvider: Provider = {
  provide: RESEARCH_EXTRACTOR,
  inject: [KRYPTON_CONFIG, ResearchProjectStore, OBJECT_STORE],
  useFactory: (cfg: KryptonConfig, store: ResearchProjectStore, objects: ObjectStore) => researchExtractor(cfg, store, objects),
};
