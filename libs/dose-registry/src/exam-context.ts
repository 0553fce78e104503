import type { DoseReport, NaturalDataset } from '@krypton/dose-extraction';

/** Dose modality of an exam: XA covers fluoroscopy and interventional (XA, RF); DX covers DX, CR, PX. */
export type DoseModality = 'CT' | 'XA' | 'DX' | 'MG' | 'NM';

/** What the registry records about the exam besides the numbers, read from the object's header. */
export interface ExamContext {
  readonly studyUid: string;
  readonly performedAt: string;
  readonly doseModality: DoseModality;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly stationName: string | null;
  readonly site: string | null;
  readonly sourceAe: string | null;
  readonly protocol: string | null;
  readonly procedureCodes: readonly string[];
}

function text(v: unknown): string | null {
  const first = Array.isArray(v) ? v[0] : v;
  if (first === undefined || first === null) return null;
  const s = String(typeof first === 'object' ? ((first as { Alphabetic?: unknown }).Alphabetic ?? '') : first).trim();
  return s === '' ? null : s;
}

function codes(seq: unknown): string[] {
  const list = Array.isArray(seq) ? seq : seq ? [seq] : [];
  return list.map((i: NaturalDataset) => text(i?.CodeValue)).filter((c): c is string => c !== null);
}

/**
 * DICOM DA/TM to an ISO instant in UTC. Dates without a zone are the site's local time, which the
 * hub does not know per device; UTC keeps ordering and month buckets right to within a day.
 */
export function performedAt(date: string | null, time: string | null, fallback: Date): string {
  const d = date?.match(/^(\d{4})(\d{2})(\d{2})$/);
  if (!d) return fallback.toISOString();
  const t = time?.match(/^(\d{2})(\d{2})?(\d{2})?/);
  const iso = `${d[1]}-${d[2]}-${d[3]}T${t?.[1] ?? '00'}:${t?.[2] ?? '00'}:${t?.[3] ?? '00'}Z`;
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) ? fallback.toISOString() : parsed.toISOString();
}

const FLUORO_EVENT_CODES = new Set(['P5-06000', '44491008']);

/**
 * The exam's dose modality. An RDSR says "SR" in its Modality, so the report's content decides:
 * AGD means mammography, fluoroscopy events or time mean XA/RF, other projection reports are
 * radiography. Header dose takes the image's own modality.
 */
export function doseModalityOf(report: DoseReport, imageModality: string | null): DoseModality {
  if (report.kind === 'CT') return 'CT';
  if (report.kind === 'NM') return 'NM';
  if (report.source === 'header' && imageModality) {
    if (imageModality === 'MG') return 'MG';
    if (imageModality === 'XA' || imageModality === 'RF') return 'XA';
    if (imageModality === 'NM' || imageModality === 'PT') return 'NM';
    return 'DX';
  }
  if (report.totals.agdTotal_mGy !== null || report.events.some((e) => e.agd_mGy !== null)) return 'MG';
  const fluoro = (report.totals.fluoroTime_s ?? 0) > 0 || report.events.some((e) => e.eventType && FLUORO_EVENT_CODES.has(e.eventType.value));
  if (fluoro || report.template === 'SIEMENS_RADIATION_SUMMARY') return 'XA';
  return 'DX';
}

export interface ContextInput {
  readonly studyUid: string;
  readonly modality: string | null;
  readonly studyDate: string | null;
  readonly studyTime: string | null;
  readonly stationName: string | null;
  readonly sourceAe: string | null;
}

/** Builds the exam context; `siteOf` maps the sending AE to its configured site. */
export function examContext(ds: NaturalDataset, report: DoseReport, job: ContextInput, siteOf: (ae: string | null) => string | null, now: Date): ExamContext {
  const protocol = text(ds.ProtocolName) ?? text(ds.PerformedProcedureStepDescription) ?? text(ds.RequestedProcedureDescription) ?? text(ds.StudyDescription) ?? null;
  return {
    studyUid: job.studyUid,
    performedAt: performedAt(job.studyDate, job.studyTime, now),
    doseModality: doseModalityOf(report, job.modality),
    manufacturer: text(ds.Manufacturer),
    model: text(ds.ManufacturerModelName),
    stationName: job.stationName ?? text(ds.StationName),
    site: siteOf(job.sourceAe),
    sourceAe: job.sourceAe,
    protocol,
    procedureCodes: [...new Set([...codes(ds.ProcedureCodeSequence), ...codes(ds.RequestedProcedureCodeSequence)])],
  };
}
