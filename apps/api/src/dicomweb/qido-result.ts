import { ATTRIBUTES, AttributeDef, CatalogRow, LEVEL_DEPTH, QueryLevel } from '@krypton/catalog';
import type { DicomJsonDataset, DicomJsonElement } from './dicom-json';
import type { DicomwebUrls } from './dicomweb-urls';

/**
 * Attributes returned without includefield (PS3.18 Tables 6.7.1-2, -2a): a level's own attributes
 * and the UIDs above it; a search not scoped to a parent (/series, /instances) also returns the
 * parents' attributes, since the client has no other way to learn them.
 */
function defaultAttributes(level: QueryLevel, scopedToParent: boolean): AttributeDef[] {
  const depth = LEVEL_DEPTH[level];
  return ATTRIBUTES.filter((a) => {
    const d = LEVEL_DEPTH[a.level];
    if (a.keyword === 'NumberOfPatientRelatedStudies') return false;
    if (d === depth) return true;
    if (a.match === 'uid' && d < depth && d > 0) return true;
    if (level === 'STUDY') return d === 0;
    return !scopedToParent && d < depth;
  });
}

function element(def: AttributeDef, v: string | number | null): DicomJsonElement {
  if (v === null || v === '') return { vr: def.vr };
  if (def.vr === 'PN') return { vr: 'PN', Value: [{ Alphabetic: String(v) }] };
  if (def.vr === 'IS' || def.vr === 'US') return { vr: def.vr, Value: [Number(v)] };
  // Multi-valued columns (ModalitiesInStudy) come back backslash-joined, as in DICOM.
  return { vr: def.vr, Value: String(v).split('\\') };
}

export interface QidoResultOptions {
  readonly level: QueryLevel;
  readonly include: 'all' | ReadonlySet<string>;
  /** Keywords matched in the request: PS3.18 returns them whatever includefield says. */
  readonly matched: Iterable<string>;
  readonly scopedToParent: boolean;
  readonly urls: DicomwebUrls;
}

export function qidoResult(row: CatalogRow, o: QidoResultOptions): DicomJsonDataset {
  const wanted = new Set(defaultAttributes(o.level, o.scopedToParent).map((a) => a.keyword));
  for (const k of o.include === 'all' ? Object.keys(row) : o.include) wanted.add(k);
  for (const k of o.matched) wanted.add(k);
  const out: DicomJsonDataset = {};
  for (const def of ATTRIBUTES) {
    if (wanted.has(def.keyword) && def.keyword in row) out[def.tag] = element(def, row[def.keyword]);
  }
  const study = String(row.StudyInstanceUID);
  const url =
    o.level === 'STUDY'
      ? o.urls.study(study)
      : o.level === 'SERIES'
        ? o.urls.series(study, String(row.SeriesInstanceUID))
        : o.urls.instance(study, String(row.SeriesInstanceUID), String(row.SOPInstanceUID));
  out['00080056'] = { vr: 'CS', Value: ['ONLINE'] }; // InstanceAvailability: everything indexed is on disk
  out['00081190'] = { vr: 'UR', Value: [url] }; // RetrieveURL
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
