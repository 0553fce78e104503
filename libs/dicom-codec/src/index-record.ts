import { MissingAttributeError } from './dicom-errors';
import { isValidUid } from './uids';
import type { NaturalDataset } from './natural-dataset';
import { HEADER_DOSE_KEYWORDS } from './header-tags';
import { isInsIssuer, issuerOfPatientId } from '@krypton/patient-match';

/** What the catalogue keeps of one instance; the job payload between the gateway and the indexer. */
export interface InstanceRecord {
  readonly patientId: string;
  readonly issuer: string;
  readonly patientName: string | null;
  readonly birthDate: string | null;
  readonly sex: string | null;
  readonly ins: string | null;
  readonly studyUid: string;
  readonly studyDate: string | null;
  readonly studyTime: string | null;
  readonly accessionNumber: string | null;
  readonly studyId: string | null;
  readonly studyDescription: string | null;
  readonly referringPhysician: string | null;
  readonly seriesUid: string;
  readonly modality: string | null;
  readonly seriesNumber: number | null;
  readonly seriesDescription: string | null;
  readonly bodyPart: string | null;
  readonly stationName: string | null;
  readonly seriesDate: string | null;
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly instanceNumber: number | null;
  readonly rows: number | null;
  readonly columns: number | null;
  readonly numberOfFrames: number | null;
  /** The image header carries dose or exposure attributes (CTDIvol, DAP, entrance dose...). */
  readonly hasHeaderDose: boolean;
}

function str(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.length ? str(v[0]) : null;
  if (typeof v === 'object') {
    const pn = v as { Alphabetic?: string };
    return pn.Alphabetic !== undefined ? str(pn.Alphabetic) : null;
  }
  const s = String(v).replace(/[\s\0]+$/, '');
  return s === '' ? null : s;
}

function int(v: unknown): number | null {
  const s = str(v);
  if (s === null) return null;
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) && Math.abs(n) < 2 ** 31 ? n : null;
}

function findIns(ds: NaturalDataset): string | null {
  const seq = ds.OtherPatientIDsSequence;
  const items: NaturalDataset[] = Array.isArray(seq) ? seq : seq ? [seq] : [];
  for (const item of items) {
    const issuer = item.IssuerOfPatientIDQualifiersSequence;
    const universal = str(Array.isArray(issuer) ? issuer[0]?.UniversalEntityID : issuer?.UniversalEntityID);
    if (isInsIssuer(universal) || str(item.TypeOfPatientID) === 'INS') {
      return str(item.PatientID);
    }
  }
  return null;
}

function uid(ds: NaturalDataset, keyword: string): string {
  const value = str(ds[keyword]);
  if (!isValidUid(value)) throw new MissingAttributeError(keyword);
  return value;
}

/**
 * Extracts the catalogue record. The three hierarchy UIDs and the SOP class are required: without
 * them the object cannot be found again, so it is refused rather than filed under a made-up key.
 */
export function toInstanceRecord(ds: NaturalDataset): InstanceRecord {
  return {
    // An object without Patient ID is still a patient's image: it is filed under an empty ID of its issuer.
    patientId: str(ds.PatientID) ?? '',
    // The hub's patient-matching rule: Issuer of Patient ID, else the qualifiers' Universal Entity ID.
    issuer: issuerOfPatientId(ds),
    patientName: str(ds.PatientName),
    birthDate: str(ds.PatientBirthDate),
    sex: str(ds.PatientSex),
    ins: findIns(ds),
    studyUid: uid(ds, 'StudyInstanceUID'),
    studyDate: str(ds.StudyDate),
    studyTime: str(ds.StudyTime),
    accessionNumber: str(ds.AccessionNumber),
    studyId: str(ds.StudyID),
    studyDescription: str(ds.StudyDescription),
    referringPhysician: str(ds.ReferringPhysicianName),
    seriesUid: uid(ds, 'SeriesInstanceUID'),
    modality: str(ds.Modality),
    seriesNumber: int(ds.SeriesNumber),
    seriesDescription: str(ds.SeriesDescription),
    bodyPart: str(ds.BodyPartExamined),
    stationName: str(ds.StationName),
    seriesDate: str(ds.SeriesDate),
    sopInstanceUid: uid(ds, 'SOPInstanceUID'),
    sopClassUid: uid(ds, 'SOPClassUID'),
    instanceNumber: int(ds.InstanceNumber),
    rows: int(ds.Rows),
    columns: int(ds.Columns),
    numberOfFrames: int(ds.NumberOfFrames),
    hasHeaderDose: HEADER_DOSE_KEYWORDS.some((k) => ds[k] !== undefined && ds[k] !== null && ds[k] !== ''),
  };
}
