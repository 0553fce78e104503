import * as dcmjs from 'dcmjs';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME, TS, type NaturalDataset } from '@krypton/dicom-codec';
import { INS_NIR_OID } from './report-patient';
import type { ZonedInstant } from './report-time';
import type { ArchivePatient } from './sign-report-input';

export const ENCAPSULATED_PDF_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.104.1';
/** High enough to sort after the acquisition series in a viewer's list, as reports usually do. */
export const REPORT_SERIES_NUMBER = 999;
export const REPORT_SERIES_DESCRIPTION = 'Compte rendu';
/** LOINC 18748-4, the document class of a diagnostic imaging report (IHE XDS-I, DMP). */
export const DIAGNOSTIC_IMAGING_REPORT_CODE = { CodeValue: '18748-4', CodingSchemeDesignator: 'LN', CodeMeaning: 'Diagnostic imaging study' };

export interface ReportStudy {
  readonly studyInstanceUid: string;
  readonly accessionNumber: string;
  /** The archive's values when the study is there: the report must not contradict its images. */
  readonly studyDate: string | null;
  readonly studyTime: string | null;
  readonly studyId: string | null;
  readonly referringPhysicianName: string | null;
}

export interface EncapsulatedPdfInput {
  readonly pdf: Buffer;
  readonly patient: ArchivePatient;
  readonly study: ReportStudy;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  /** The report version: an addendum is the next instance of the series. */
  readonly instanceNumber: number;
  readonly documentTitle: string;
  /** The signature, in the configured time zone. */
  readonly signed: ZonedInstant;
  readonly verifyingObserver: { readonly name: string; readonly organisation: string };
  readonly institutionName: string;
}

/** LO, SH and PN components stop at 64 characters (PS3.5 6.2); longer site or person names are cut, not refused. */
function lo(value: string | null | undefined): string {
  return (value ?? '').slice(0, 64);
}

/** A free-text name ("Dr Paul DURAND") is kept whole as the family-name component; a DICOM PN passes as is. */
function personName(value: string | null | undefined): { Alphabetic: string }[] | string {
  if (!value) return '';
  return [{ Alphabetic: value.slice(0, 64) }];
}

/**
 * The Encapsulated PDF IOD (PS3.3 A.45.1) as a dcmjs naturalized data set: Patient, General
 * Study, Encapsulated Document Series, General and SC Equipment, Encapsulated Document and SOP
 * Common modules. Type 2 attributes are present even when empty, as the IOD requires.
 */
export function encapsulatedPdfDataset(input: EncapsulatedPdfInput): NaturalDataset {
  const { patient: p, study: s, signed } = input;
  // The standard pads an odd-length value with one 0x00 and says how long the document really is
  // in Encapsulated Document Length (0042,0015), so a reader can give back the exact bytes.
  const padded = input.pdf.length % 2 === 1 ? Buffer.concat([input.pdf, Buffer.alloc(1)]) : input.pdf;
  const document = padded.buffer.slice(padded.byteOffset, padded.byteOffset + padded.length);
  return {
    // UTF-8: names and free text are French (and the patient's name may be anything).
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: ENCAPSULATED_PDF_SOP_CLASS,
    SOPInstanceUID: input.sopInstanceUid,
    InstanceCreationDate: signed.da,
    InstanceCreationTime: signed.tm,

    PatientName: personName(p.patientName),
    PatientID: lo(p.patientId),
    IssuerOfPatientID: lo(p.issuer),
    PatientBirthDate: p.birthDate ?? '',
    PatientSex: p.sex ?? '',
    ...(p.ins
      ? {
          // Where the catalogue (and French PACS) look for the INS: issuer OID, not the local Patient ID.
          OtherPatientIDsSequence: [
            {
              PatientID: p.ins,
              IssuerOfPatientID: 'ASIP-SANTE-INS-NIR',
              IssuerOfPatientIDQualifiersSequence: [{ UniversalEntityID: INS_NIR_OID, UniversalEntityIDType: 'ISO' }],
              TypeOfPatientID: 'TEXT',
            },
          ],
        }
      : {}),

    StudyInstanceUID: s.studyInstanceUid,
    StudyDate: s.studyDate ?? '',
    StudyTime: s.studyTime ?? '',
    ReferringPhysicianName: personName(s.referringPhysicianName),
    StudyID: (s.studyId ?? '').slice(0, 16),
    AccessionNumber: s.accessionNumber,

    Modality: 'DOC',
    SeriesInstanceUID: input.seriesInstanceUid,
    SeriesNumber: REPORT_SERIES_NUMBER,
    SeriesDescription: REPORT_SERIES_DESCRIPTION,

    Manufacturer: 'Krypton',
    InstitutionName: lo(input.institutionName),
    // WSD: "workstation", how PS3.3 C.8.6.1 calls a document made by software rather than scanned.
    ConversionType: 'WSD',

    InstanceNumber: input.instanceNumber,
    ContentDate: signed.da,
    ContentTime: signed.tm,
    AcquisitionDateTime: signed.dt,
    // The PDF prints the patient's name and identifiers: it must be de-identified as such.
    BurnedInAnnotation: 'YES',
    DocumentTitle: input.documentTitle.slice(0, 1024),
    ConceptNameCodeSequence: [DIAGNOSTIC_IMAGING_REPORT_CODE],
    VerificationFlag: 'VERIFIED',
    // Not part of the Encapsulated Document module (it comes from SR Document General): kept as a
    // standard extended attribute so that a PACS can show who signed and when without opening the PDF.
    VerifyingObserverSequence: [
      {
        VerifyingObserverName: personName(input.verifyingObserver.name),
        VerifyingOrganization: lo(input.verifyingObserver.organisation),
        VerificationDateTime: signed.dt,
      },
    ],
    MIMETypeOfEncapsulatedDocument: 'application/pdf',
    EncapsulatedDocument: document,
    EncapsulatedDocumentLength: input.pdf.length,
  };
}

/** Part 10 bytes (Explicit VR Little Endian), ready for IngestService. */
export function encapsulatePdf(input: EncapsulatedPdfInput): Buffer {
  const dataset = encapsulatedPdfDataset(input);
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: ENCAPSULATED_PDF_SOP_CLASS,
    MediaStorageSOPInstanceUID: input.sopInstanceUid,
    TransferSyntaxUID: TS.ExplicitVRLittleEndian,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return Buffer.from(dict.write() as ArrayBuffer);
}
