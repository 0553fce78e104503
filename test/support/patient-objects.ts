import * as dcmjs from 'dcmjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMPLEMENTATION_CLASS_UID, newUuidUid } from '@krypton/dicom-codec';

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** Who the object belongs to, as the sending site wrote it. */
export interface TestPatient {
  readonly name: string;
  readonly patientId: string;
  /** Issuer of Patient ID (0010,0021). */
  readonly issuer?: string;
  /** The issuer as Issuer of Patient ID Qualifiers Sequence > Universal Entity ID only. */
  readonly issuerUniversalId?: string;
  /** INS in Other Patient IDs Sequence with the INS-NIR authority. */
  readonly ins?: string;
}

export interface TestSeries {
  readonly uid: string;
  readonly sops: string[];
}

export interface TestStudy {
  readonly uid: string;
  readonly series: TestSeries[];
  readonly files: string[];
}

/** Every SOP Instance UID of some studies or series. */
export const sopsOf = (...x: (TestStudy | TestSeries)[]): string[] => x.flatMap((s) => ('sops' in s ? s.sops : s.series.flatMap((se) => se.sops))).sort();

/**
 * Writes a small Secondary Capture study (8x8 pixels, explicit VR little endian) for a patient:
 * one series per entry of `seriesSizes`. Fresh UIDs each time: generated test objects, no real patient.
 */
export function writeTestStudy(dir: string, patient: TestPatient, seriesSizes: readonly number[]): TestStudy {
  mkdirSync(dir, { recursive: true });
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const studyUid = newUuidUid();
  const series: TestSeries[] = [];
  const files: string[] = [];
  seriesSizes.forEach((count, s) => {
    const seriesUid = newUuidUid();
    const sops: string[] = [];
    for (let i = 0; i < count; i++) {
      const sop = newUuidUid();
      const ds: Record<string, unknown> = {
        SpecificCharacterSet: 'ISO_IR 192',
        SOPClassUID: SECONDARY_CAPTURE,
        SOPInstanceUID: sop,
        PatientName: [{ Alphabetic: patient.name }],
        PatientID: patient.patientId,
        PatientBirthDate: '19700101',
        PatientSex: 'O',
        StudyInstanceUID: studyUid,
        SeriesInstanceUID: seriesUid,
        StudyDate: '20261201',
        StudyTime: '101500',
        AccessionNumber: `ACC${studyUid.slice(-8)}`,
        StudyID: '1',
        Modality: 'OT',
        ConversionType: 'WSD',
        SeriesNumber: String(s + 1),
        InstanceNumber: String(i + 1),
        SamplesPerPixel: 1,
        PhotometricInterpretation: 'MONOCHROME2',
        Rows: 8,
        Columns: 8,
        BitsAllocated: 8,
        BitsStored: 8,
        HighBit: 7,
        PixelRepresentation: 0,
        PixelData: [new Uint8Array(64).fill(i * 16 + s).buffer],
      };
      if (patient.issuer) ds.IssuerOfPatientID = patient.issuer;
      if (patient.issuerUniversalId) ds.IssuerOfPatientIDQualifiersSequence = [{ UniversalEntityID: patient.issuerUniversalId, UniversalEntityIDType: 'ISO' }];
      if (patient.ins) {
        ds.OtherPatientIDsSequence = [
          { PatientID: patient.ins, TypeOfPatientID: 'TEXT', IssuerOfPatientIDQualifiersSequence: [{ UniversalEntityID: '1.2.250.1.213.1.4.8', UniversalEntityIDType: 'ISO' }] },
        ];
      }
      const meta = {
        FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
        MediaStorageSOPClassUID: SECONDARY_CAPTURE,
        MediaStorageSOPInstanceUID: sop,
        TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
        ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
      };
      const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
      dict.dict = DicomMetaDictionary.denaturalizeDataset(ds);
      const file = join(dir, `${sop}.dcm`);
      writeFileSync(file, Buffer.from(dict.write() as ArrayBuffer));
      files.push(file);
      sops.push(sop);
    }
    series.push({ uid: seriesUid, sops });
  });
  return { uid: studyUid, series, files };
}
