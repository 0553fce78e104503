import { Client } from 'pg';
import { STUDY_UID_ROOT, type CatalogueSize } from './synthetic-catalogue';

/** The query string OHIF's study list adds to every search (first page of 101, two extra fields). */
export const OHIF_PAGE = 'limit=101&offset=0&fuzzymatching=false&includefield=00081030%2C00080060';

export interface SearchKind {
  readonly name: string;
  /** A new query string (without OHIF_PAGE) aimed at rows that exist. */
  readonly next: () => string;
}

const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)];
const MODALITIES = ['CR', 'DX', 'CT', 'CT', 'MR', 'US', 'MG', 'PT', 'NM', 'XA'];

function month(): string {
  const y = 2006 + Math.floor(Math.random() * 20);
  const m = 1 + Math.floor(Math.random() * 12);
  const ym = `${y}${String(m).padStart(2, '0')}`;
  return `${ym}01-${ym}${new Date(Date.UTC(y, m, 0)).getUTCDate()}`;
}

/**
 * The searches a viewer and a PACS make, each aimed at random existing rows: a patient's
 * studies by Patient ID; a name prefix as typed in OHIF's list (the first five letters of a
 * family name); a month of one modality; an accession number (the RIS link); a Study UID (a
 * prior, a report link); and OHIF's first screen (no filter, newest first).
 */
export async function searchKinds(pg: Client, size: CatalogueSize): Promise<SearchKind[]> {
  const patients = Math.max(1, Math.floor(size.studies / 3));
  const rnd = (n: number) => 1 + Math.floor(Math.random() * n);
  const names = (await pg.query(`SELECT split_part(name, '^', 1) AS family FROM patient TABLESAMPLE SYSTEM (1) LIMIT 500`)).rows.map((r: { family: string }) => r.family);
  return [
    { name: 'PatientID', next: () => `PatientID=P${rnd(patients)}` },
    { name: 'PatientName prefix', next: () => `PatientName=${encodeURIComponent(pick(names).slice(0, 5))}*` },
    { name: 'StudyDate month + ModalitiesInStudy', next: () => `StudyDate=${month()}&ModalitiesInStudy=${pick(MODALITIES)}` },
    { name: 'AccessionNumber', next: () => `AccessionNumber=A${rnd(size.studies)}` },
    { name: 'StudyInstanceUID', next: () => `StudyInstanceUID=${STUDY_UID_ROOT}${rnd(size.studies)}` },
    { name: 'no filter (OHIF first screen)', next: () => '' },
  ];
}
