import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCompletePart10, readPart10, scanPart10, toInstanceRecord } from '@krypton/dicom-codec';
import { encapsulatePdf, ENCAPSULATED_PDF_SOP_CLASS, type EncapsulatedPdfInput } from './encapsulated-pdf';
import { archivePatientFromRequest } from './report-patient';
import { zoned } from './report-time';
import { SAMPLE_SIGN_INPUT } from './sample-input';

/** Not a real PDF: the container does not look inside, and an odd length is what needs testing. */
const ODD_PDF = Buffer.from('%PDF-1.3\n% Hélène\n%%EOF\n!', 'utf8');

function input(pdf = ODD_PDF): EncapsulatedPdfInput {
  return {
    pdf,
    patient: archivePatientFromRequest(SAMPLE_SIGN_INPUT.patient),
    study: { studyInstanceUid: '2.25.100', accessionNumber: 'KR00000001', studyDate: '20260314', studyTime: '101500', studyId: null, referringPhysicianName: 'MARTIN^Jeanne' },
    seriesInstanceUid: '2.25.200',
    sopInstanceUid: '2.25.300',
    instanceNumber: 2,
    documentTitle: 'Compte rendu — Radiographie du thorax',
    signed: zoned(new Date('2026-03-14T14:09:26Z'), 'Europe/Paris'),
    verifyingObserver: { name: 'Dr Paul DURAND', organisation: 'CHU Nord' },
    institutionName: 'CHU Nord',
  };
}

/** dcmjs answers an OB value as [ArrayBuffer], or as a Uint8Array view when reading without copies. */
function bytes(value: unknown): Buffer {
  const v = Array.isArray(value) ? value[0] : value;
  return v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(v as ArrayBuffer);
}

const hasDcmtk = spawnSync('dcmdump', ['--version']).status === 0;

describe('encapsulated PDF', () => {
  const part10 = encapsulatePdf(input());

  it('reads back with dcmjs as an Encapsulated PDF of the study, patient in UTF-8', () => {
    expect(ODD_PDF.length % 2).toBe(1);
    const { meta, dataset: ds } = readPart10(part10);
    expect(meta.TransferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect(meta.MediaStorageSOPClassUID).toBe(ENCAPSULATED_PDF_SOP_CLASS);
    expect(ds).toMatchObject({
      SpecificCharacterSet: 'ISO_IR 192',
      SOPClassUID: ENCAPSULATED_PDF_SOP_CLASS,
      SOPInstanceUID: '2.25.300',
      PatientName: [{ Alphabetic: 'ÉLÉONORE^Hélène Éléonore' }],
      PatientID: 'IPP-1',
      IssuerOfPatientID: '000000002',
      PatientBirthDate: '19790312',
      PatientSex: 'F',
      StudyInstanceUID: '2.25.100',
      AccessionNumber: 'KR00000001',
      StudyDate: '20260314',
      Modality: 'DOC',
      SeriesInstanceUID: '2.25.200',
      SeriesNumber: 999,
      SeriesDescription: 'Compte rendu',
      InstanceNumber: 2,
      ContentDate: '20260314',
      ContentTime: '150926',
      BurnedInAnnotation: 'YES',
      DocumentTitle: 'Compte rendu — Radiographie du thorax',
      ConceptNameCodeSequence: [{ CodeValue: '18748-4', CodingSchemeDesignator: 'LN', CodeMeaning: 'Diagnostic imaging study' }],
      VerificationFlag: 'VERIFIED',
      VerifyingObserverSequence: [
        {
          VerifyingObserverName: [{ Alphabetic: 'Dr Paul DURAND' }], // DT pads to even length with a space (PS3.5 6.2).
          VerificationDateTime: '20260314150926+0100 ',
          VerifyingOrganization: 'CHU Nord',
        },
      ],
      MIMETypeOfEncapsulatedDocument: 'application/pdf',
      EncapsulatedDocumentLength: ODD_PDF.length,
    });
    expect(ds.OtherPatientIDsSequence[0]).toMatchObject({ PatientID: '279035121518989', IssuerOfPatientIDQualifiersSequence: [{ UniversalEntityID: '1.2.250.1.213.1.4.8' }] });
  });

  it('pads an odd-length document to even length with one 0x00 and keeps the exact length apart', () => {
    const doc = bytes(readPart10(part10).dataset.EncapsulatedDocument);
    expect(doc.length).toBe(ODD_PDF.length + 1);
    expect(doc.subarray(0, ODD_PDF.length).equals(ODD_PDF)).toBe(true);
    expect(doc[doc.length - 1]).toBe(0);
    const even = bytes(readPart10(encapsulatePdf(input(ODD_PDF.subarray(1)))).dataset.EncapsulatedDocument);
    expect(even.equals(ODD_PDF.subarray(1))).toBe(true);
  });

  it('is what the ingest path files: complete, and the catalogue record names patient, INS, study and series', () => {
    expect(isCompletePart10(part10)).toBe(true);
    const rec = toInstanceRecord(scanPart10(part10).dataset);
    expect(rec).toMatchObject({
      patientId: 'IPP-1',
      issuer: '000000002',
      patientName: 'ÉLÉONORE^Hélène Éléonore',
      ins: '279035121518989',
      studyUid: '2.25.100',
      accessionNumber: 'KR00000001',
      seriesUid: '2.25.200',
      modality: 'DOC',
      seriesNumber: 999,
      seriesDescription: 'Compte rendu',
      sopInstanceUid: '2.25.300',
      sopClassUid: ENCAPSULATED_PDF_SOP_CLASS,
      instanceNumber: 2,
    });
  });

  (hasDcmtk ? it : it.skip)('parses with dcmdump, and dcm2pdf gives back the document byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'krypton-encap-'));
    writeFileSync(join(dir, 'r.dcm'), part10);
    const dump = spawnSync('dcmdump', ['+U8', join(dir, 'r.dcm')], { encoding: 'utf8' });
    expect(dump.status).toBe(0);
    expect(dump.stdout).toContain('=EncapsulatedPDFStorage');
    expect(dump.stdout).toContain('ÉLÉONORE^Hélène Éléonore');
    const extract = spawnSync('dcm2pdf', [join(dir, 'r.dcm'), join(dir, 'r.pdf')], { encoding: 'utf8' });
    expect(extract.status).toBe(0);
    expect(readFileSync(join(dir, 'r.pdf')).equals(ODD_PDF)).toBe(true);
  });
});
