import { CodedConcept } from './codes';

/**
 * The hub's normalised view of one DICOM object's radiation dose. Field names carry their unit
 * so that no consumer has to guess (a DAP off by 10^4 is a classic dose-registry error). Every
 * number is copied, after unit conversion, from the object itself; null means the object does
 * not state it — never zero.
 */
export type DoseKind = 'CT' | 'PROJECTION' | 'NM';
export type ReportKind = DoseKind | 'NOT_DOSE';

/** Where the numbers came from: a dose structured report, or dose attributes of an image. */
export type DoseSource = 'rdsr' | 'header';

/** Which template the numbers were read from. */
export type DoseTemplate =
  | 'TID10011' // CT Radiation Dose
  | 'TID10001' // Projection X-Ray Radiation Dose (incl. mammography)
  | 'TID10021' // Radiopharmaceutical Radiation Dose
  | 'SIEMENS_RADIATION_SUMMARY' // private, see manufacturers/siemens-radiation-summary.parser.ts
  | 'IMAGE_HEADER';

/** Totals as the report's accumulated-dose container states them (not sums of events). */
export interface DoseTotals {
  /** Stated Total Number of Irradiation Events, else the number of events listed. */
  readonly eventCount: number | null;
  readonly dlpTotal_mGy_cm: number | null;
  readonly dapTotal_Gy_m2: number | null;
  readonly rpDoseTotal_Gy: number | null;
  readonly fluoroTime_s: number | null;
  /** Sum of the per-breast Accumulated Average Glandular Dose rows; see agdByLaterality. */
  readonly agdTotal_mGy: number | null;
  readonly fluoroDapTotal_Gy_m2?: number | null;
  readonly acquisitionDapTotal_Gy_m2?: number | null;
  readonly acquisitionTime_s?: number | null;
  readonly agdByLaterality?: Readonly<Partial<Record<Laterality, number>>> | null;
  /** Biplane systems state one accumulated container per plane; totals above are their sum. */
  readonly planes?: readonly PlaneTotals[];
}

export type Laterality = 'LEFT' | 'RIGHT' | 'BOTH';

export interface PlaneTotals {
  readonly plane: 'A' | 'B' | 'SINGLE' | null;
  readonly dapTotal_Gy_m2: number | null;
  readonly rpDoseTotal_Gy: number | null;
  readonly fluoroTime_s: number | null;
}

/** NEMA XR-25 dose check configured on the scanner and what it said at this acquisition. */
export interface DoseCheckThresholds {
  readonly dlpConfigured: boolean | null;
  readonly ctdiVolConfigured: boolean | null;
  readonly dlpValue_mGy_cm: number | null;
  readonly ctdiVolValue_mGy: number | null;
  /** Forward estimates the scanner computed when the threshold was checked. */
  readonly dlpForwardEstimate_mGy_cm: number | null;
  readonly ctdiVolForwardEstimate_mGy: number | null;
  readonly reasonForProceeding: string | null;
  readonly personName: string | null;
}

export interface DoseCheckDetails {
  readonly alert: DoseCheckThresholds | null;
  readonly notification: DoseCheckThresholds | null;
}

export interface DoseEvent {
  /** Irradiation Event UID; for NM, the Radiopharmaceutical Administration Event UID. */
  readonly irradiationEventUid: string | null;
  readonly ctdiVol_mGy: number | null;
  readonly dlp_mGy_cm: number | null;
  readonly dap_Gy_m2: number | null;
  readonly rpDose_Gy: number | null;
  readonly agd_mGy: number | null;
  readonly dateTimeStarted?: string | null;
  readonly acquisitionProtocol?: string | null;
  readonly eventType?: CodedConcept | null;
  /** CT only: the CTDIw phantom (113835) the CTDIvol refers to. */
  readonly ctdiPhantom?: 'HEAD16' | 'BODY32' | null;
  readonly plane?: 'A' | 'B' | 'SINGLE' | null;
  readonly laterality?: Laterality | null;
  /** The scanner's own dose-check alert/notification record, when it sent one. */
  readonly doseCheck?: DoseCheckDetails | null;
  readonly administeredActivity_MBq?: number | null;
  readonly radiopharmaceutical?: CodedConcept | null;
  readonly radionuclide?: CodedConcept | null;
  readonly effectiveDose_mSv?: number | null;
  /** Image-header dose only. */
  readonly entranceDose_mGy?: number | null;
  readonly organDose_mGy?: number | null;
  readonly exposureIndex?: number | null;
  readonly targetExposureIndex?: number | null;
  readonly deviationIndex?: number | null;
}

export interface DoseReport {
  readonly kind: ReportKind;
  readonly source: DoseSource | null;
  readonly template: DoseTemplate | null;
  readonly sopClassUid: string | null;
  readonly sopInstanceUid: string | null;
  readonly studyInstanceUid: string | null;
  readonly modality: string | null;
  /** Device Observer UID (121012) from the report's observer context. */
  readonly deviceObserverUid: string | null;
  readonly totals: DoseTotals;
  readonly events: readonly DoseEvent[];
  /** Values left empty because they could not be trusted (unknown unit, several values...). */
  readonly warnings: readonly string[];
}

export const EMPTY_TOTALS: DoseTotals = Object.freeze({
  eventCount: null,
  dlpTotal_mGy_cm: null,
  dapTotal_Gy_m2: null,
  rpDoseTotal_Gy: null,
  fluoroTime_s: null,
  agdTotal_mGy: null,
});

/** An event with every contract field empty, to spread the known fields over. */
export const EMPTY_EVENT: DoseEvent = Object.freeze({
  irradiationEventUid: null,
  ctdiVol_mGy: null,
  dlp_mGy_cm: null,
  dap_Gy_m2: null,
  rpDose_Gy: null,
  agd_mGy: null,
});
