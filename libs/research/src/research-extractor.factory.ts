import { resolve } from 'node:path';
import type { KryptonConfig } from '@krypton/config';
import type { ObjectStore } from '@krypton/storage';
import { ResearchExtractor } from './research-extractor';
import { ResearchProjectStore } from './research-project.store';

/** The extractor as configured: output folder, and the research PACS when `research.pacs` names an AE. */
export function researchExtractor(cfg: KryptonConfig, store: ResearchProjectStore, objects: ObjectStore): ResearchExtractor {
  const name = cfg.research.pacs;
  let pacs;
  if (name) {
    const ae = cfg.aes.find((a) => (a.name ?? a.aeTitle) === name);
    if (!ae?.host || !ae.port) throw new Error(`research.pacs: "${name}" is not a configured AE with host and port`);
    pacs = { peer: { host: ae.host, port: ae.port, aeTitle: ae.aeTitle }, callingAeTitle: cfg.dicom.aeTitle };
  }
  return new ResearchExtractor(store, objects, resolve(cfg.research.outputDir), pacs);
}
