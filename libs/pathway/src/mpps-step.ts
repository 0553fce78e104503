import * as dcmjs from 'dcmjs';
import { MppsClosedError, MppsInvalidValueError, MppsMissingAttributeError } from './mpps-errors';

const { DicomMetaDictionary } = dcmjs.data;

/** Performed Procedure Step Status defined terms (PS3.3 C.4.14). */
export const MppsStatus = {
  InProgress: 'IN PROGRESS',
  Completed: 'COMPLETED',
  Discontinued: 'DISCONTINUED',
} as const;
export type MppsStatusValue = (typeof MppsStatus)[keyof typeof MppsStatus];

const STATUSES: readonly string[] = Object.values(MppsStatus);

/** A data set as dcmjs naturalizes it (keywords as keys, sequences as arrays of items). */
export type NaturalDataset = Record<string, unknown>;

/**
 * Attributes N-SET may not change (PS3.4 Table F.7.2-1, "Not allowed" in the N-SET column): they
 * identify the step, its patient and what was scheduled, and the columns the pathway matches on are
 * read from them. A modality that sends them again is not refused; the values from N-CREATE stay.
 */
export const NOT_SETTABLE: ReadonlySet<string> = new Set([
  'SOPInstanceUID',
  'SOPClassUID',
  'ScheduledStepAttributesSequence',
  'PatientName',
  'PatientID',
  'IssuerOfPatientID',
  'PatientBirthDate',
  'PatientSex',
  'ReferencedPatientSequence',
  'PerformedProcedureStepID',
  'PerformedStationAETitle',
  'PerformedStationName',
  'PerformedLocation',
  'PerformedProcedureStepStartDate',
  'PerformedProcedureStepStartTime',
  'Modality',
  'StudyID',
]);

function str(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.length ? str(v[0]) : null;
  if (typeof v === 'object') return str((v as { Alphabetic?: unknown }).Alphabetic);
  const s = String(v)
    .replace(/[\s\0]+$/, '')
    .trim();
  return s === '' ? null : s;
}

function firstItem(v: unknown): NaturalDataset | null {
  const item = Array.isArray(v) ? v[0] : v;
  return item && typeof item === 'object' ? (item as NaturalDataset) : null;
}

/** What N-CREATE must carry for the hub to accept it: a status, and that status IN PROGRESS (PS3.4 F.7.2.1). */
export function checkCreate(ds: NaturalDataset, sopInstanceUid: string): void {
  const status = str(ds.PerformedProcedureStepStatus);
  if (status === null) throw new MppsMissingAttributeError('PerformedProcedureStepStatus', sopInstanceUid);
  if (status !== MppsStatus.InProgress) throw new MppsInvalidValueError('PerformedProcedureStepStatus', status, sopInstanceUid);
}

export interface MergedSet {
  readonly merged: NaturalDataset;
  /** Keywords of the modification list left out (not settable). */
  readonly ignored: readonly string[];
}

/**
 * Applies an N-SET modification list to the stored step: each attribute sent replaces the stored
 * one whole (a sequence with its items), a zero-length value included (PS3.4 F.7.2.2, N-SET
 * semantics of PS3.7 10.1.1). Only a step IN PROGRESS may change, and only to one of the three
 * statuses.
 */
export function applySet(stored: NaturalDataset, modification: NaturalDataset, sopInstanceUid: string): MergedSet {
  const current = str(stored.PerformedProcedureStepStatus) ?? MppsStatus.InProgress;
  if (current !== MppsStatus.InProgress) throw new MppsClosedError(sopInstanceUid, current);
  const next = str(modification.PerformedProcedureStepStatus);
  if (modification.PerformedProcedureStepStatus !== undefined && (next === null || !STATUSES.includes(next))) {
    throw new MppsInvalidValueError('PerformedProcedureStepStatus', next ?? '', sopInstanceUid);
  }
  const merged: NaturalDataset = { ...stored };
  const ignored: string[] = [];
  for (const [keyword, value] of Object.entries(modification)) {
    if (keyword.startsWith('_')) continue;
    if (NOT_SETTABLE.has(keyword)) ignored.push(keyword);
    else merged[keyword] = value;
  }
  return { merged, ignored };
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * A DA + TM pair as a local `YYYY-MM-DD HH:MM:SS[.ffffff]` timestamp; null when the date is absent
 * or not a date (the value stays in `attributes`: a malformed date must not cost the step). A time
 * that is absent or malformed counts as midnight.
 */
export function localDateTime(da: unknown, tm: unknown): string | null {
  const date = str(da);
  const d = date ? /^(\d{4})(\d{2})(\d{2})$/.exec(date) : null;
  if (!d || !isCalendarDate(Number(d[1]), Number(d[2]), Number(d[3]))) return null;
  const t = /^([01]\d|2[0-3])([0-5]\d)?([0-5]\d)?(\.\d{1,6})?$/.exec((str(tm) ?? '').replace(/:/g, ''));
  const [hh, mm, ss, frac] = t ? [t[1], t[2] ?? '00', t[3] ?? '00', t[3] ? (t[4] ?? '') : ''] : ['00', '00', '00', ''];
  return `${d[1]}-${d[2]}-${d[3]} ${hh}:${mm}:${ss}${frac}`;
}

/** The columns of `mpps` the pathway matches and filters on, read from the (merged) data set. */
export interface MppsColumns {
  readonly status: MppsStatusValue;
  readonly performedStationAe: string | null;
  readonly modality: string | null;
  readonly accessionNumber: string | null;
  readonly studyInstanceUid: string | null;
  readonly requestedProcedureId: string | null;
  readonly spsId: string | null;
  /** Local time (the hub's zone), converted to an instant by the store. */
  readonly startedAt: string | null;
  readonly endedAt: string | null;
}

/**
 * Scheduled Step Attributes Sequence: the first item is the step the modality performed from the
 * worklist. A step grouping several requested procedures has several items; the pathway finds them
 * all in `attributes`.
 */
export function mppsColumns(ds: NaturalDataset): MppsColumns {
  const scheduled = firstItem(ds.ScheduledStepAttributesSequence) ?? {};
  return {
    status: (str(ds.PerformedProcedureStepStatus) ?? MppsStatus.InProgress) as MppsStatusValue,
    performedStationAe: str(ds.PerformedStationAETitle),
    modality: str(ds.Modality),
    accessionNumber: str(scheduled.AccessionNumber),
    studyInstanceUid: str(scheduled.StudyInstanceUID),
    requestedProcedureId: str(scheduled.RequestedProcedureID),
    spsId: str(scheduled.ScheduledProcedureStepID),
    startedAt: localDateTime(ds.PerformedProcedureStepStartDate, ds.PerformedProcedureStepStartTime),
    endedAt: localDateTime(ds.PerformedProcedureStepEndDate, ds.PerformedProcedureStepEndTime),
  };
}

function knownKeywords(ds: NaturalDataset, dropped: string[], prefix = ''): NaturalDataset {
  const out: NaturalDataset = {};
  for (const [keyword, value] of Object.entries(ds)) {
    if (keyword === '_vrMap') continue;
    if (!DicomMetaDictionary.nameMap[keyword]) {
      dropped.push(prefix + keyword);
      continue;
    }
    out[keyword] =
      Array.isArray(value) && value.some((v) => v && typeof v === 'object' && !('Alphabetic' in v))
        ? value.map((item) => knownKeywords(item as NaturalDataset, dropped, `${prefix}${keyword}.`))
        : value;
  }
  return out;
}

/**
 * The data set as DICOM JSON (PS3.18 F.2), what `mpps.attributes` holds. Attributes dcmjs has no
 * keyword for (private ones) cannot be written back with a VR and are left out; their paths are
 * returned so the caller can log them.
 */
export function toDicomJson(ds: NaturalDataset): { json: Record<string, unknown>; dropped: string[] } {
  const dropped: string[] = [];
  const json = DicomMetaDictionary.denaturalizeDataset(knownKeywords(ds, dropped));
  return { json, dropped };
}

export function fromDicomJson(json: Record<string, unknown>): NaturalDataset {
  const natural = DicomMetaDictionary.naturalizeDataset(json) as NaturalDataset;
  delete natural._vrMap;
  return natural;
}
