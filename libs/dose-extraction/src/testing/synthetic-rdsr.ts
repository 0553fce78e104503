import * as dcmjs from 'dcmjs';
import { NaturalDataset } from '../dataset-values';

/**
 * A synthetic fluoroscopy RDSR (TID 10001) with N irradiation events, for benchmarks and tests
 * of scale (an interventional case can carry over a thousand events). Values are deterministic so
 * tests can state them: event i (0-based) has DAP (i+1)·1e-6 Gy·m² and Dose (RP) (i+1)·1e-5 Gy,
 * and the accumulated container states the matching totals, as a device would.
 */
export interface SyntheticRdsrOptions {
  readonly eventCount: number;
  readonly studyInstanceUid?: string;
  readonly sopInstanceUid?: string;
  readonly deviceObserverUid?: string;
}

const XRAY_RDSR_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.88.67';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** 2.25 UIDs (UUID-derived arc) need no registered root; the numbers only need to be unique. */
const UID_ROOT = '2.25.3320140719';

const code = (value: string, scheme: string, meaning: string) => [{ CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: meaning }];

function item(relationship: string, valueType: string, concept: ReturnType<typeof code>, rest: NaturalDataset = {}): NaturalDataset {
  return { RelationshipType: relationship, ValueType: valueType, ConceptNameCodeSequence: concept, ...rest };
}

function num(concept: ReturnType<typeof code>, value: string, unit: string): NaturalDataset {
  return item('CONTAINS', 'NUM', concept, {
    MeasuredValueSequence: [{ NumericValue: value, MeasurementUnitsCodeSequence: code(unit, 'UCUM', unit) }],
  });
}

/** DS is limited to 16 characters; scientific notation keeps tiny doses exact and short. */
const ds = (mantissa: number, exponent: number) => `${mantissa}E${exponent}`;

function event(i: number): NaturalDataset {
  return item('CONTAINS', 'CONTAINER', code('113706', 'DCM', 'Irradiation Event X-Ray Data'), {
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: [
      item('HAS CONCEPT MOD', 'CODE', code('113764', 'DCM', 'Acquisition Plane'), {
        ConceptCodeSequence: code('113622', 'DCM', 'Single Plane'),
      }),
      item('CONTAINS', 'CODE', code('113721', 'DCM', 'Irradiation Event Type'), {
        ConceptCodeSequence: code('P5-06000', 'SRT', 'Fluoroscopy'),
      }),
      item('CONTAINS', 'UIDREF', code('113769', 'DCM', 'Irradiation Event UID'), { UID: `${UID_ROOT}.3.${i + 1}` }),
      num(code('122130', 'DCM', 'Dose Area Product'), ds(i + 1, -6), 'Gy.m2'),
      num(code('113738', 'DCM', 'Dose (RP)'), ds(i + 1, -5), 'Gy'),
    ],
  });
}

/** The report as a dcmjs naturalized data set. */
export function syntheticFluoroscopyRdsr(options: SyntheticRdsrOptions): NaturalDataset {
  const n = options.eventCount;
  const triangular = (n * (n + 1)) / 2; // sum of 1..n, so totals match the events exactly
  return {
    SOPClassUID: XRAY_RDSR_SOP_CLASS,
    SOPInstanceUID: options.sopInstanceUid ?? `${UID_ROOT}.1.${n}`,
    StudyInstanceUID: options.studyInstanceUid ?? `${UID_ROOT}.2.${n}`,
    SeriesInstanceUID: `${UID_ROOT}.4.${n}`,
    Modality: 'SR',
    PatientName: 'Synthetic^Fluoro',
    PatientID: 'SYNTHETIC',
    ValueType: 'CONTAINER',
    ContinuityOfContent: 'SEPARATE',
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    ConceptNameCodeSequence: code('113701', 'DCM', 'X-Ray Radiation Dose Report'),
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '10001' }],
    ContentSequence: [
      item('HAS CONCEPT MOD', 'CODE', code('121058', 'DCM', 'Procedure reported'), {
        ConceptCodeSequence: code('113704', 'DCM', 'Projection X-Ray'),
      }),
      item('HAS OBS CONTEXT', 'CODE', code('121005', 'DCM', 'Observer Type'), {
        ConceptCodeSequence: code('121007', 'DCM', 'Device'),
      }),
      item('HAS OBS CONTEXT', 'UIDREF', code('121012', 'DCM', 'Device Observer UID'), {
        UID: options.deviceObserverUid ?? `${UID_ROOT}.5`,
      }),
      item('CONTAINS', 'CONTAINER', code('113702', 'DCM', 'Accumulated X-Ray Dose Data'), {
        ContinuityOfContent: 'SEPARATE',
        ContentSequence: [
          item('HAS CONCEPT MOD', 'CODE', code('113764', 'DCM', 'Acquisition Plane'), {
            ConceptCodeSequence: code('113622', 'DCM', 'Single Plane'),
          }),
          num(code('113722', 'DCM', 'Dose Area Product Total'), ds(triangular, -6), 'Gy.m2'),
          num(code('113725', 'DCM', 'Dose (RP) Total'), ds(triangular, -5), 'Gy'),
          num(code('113730', 'DCM', 'Total Fluoro Time'), String(n), 's'),
        ],
      }),
      ...Array.from({ length: n }, (_, i) => event(i)),
    ],
  };
}

/** The same report as Part 10 bytes (explicit VR little endian), as a modality would send it. */
export function syntheticFluoroscopyRdsrPart10(options: SyntheticRdsrOptions): Buffer {
  const dataset = syntheticFluoroscopyRdsr(options);
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: `${UID_ROOT}.9`,
    ImplementationVersionName: 'KRYPTON_SYNTH',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return Buffer.from(dict.write() as ArrayBuffer);
}
