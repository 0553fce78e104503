/**
 * Coded concepts the dose parsers look for. A concept is matched by Code Value + Coding Scheme
 * Designator, never by Code Meaning: meanings vary by vendor, case and language ("Dose (RP)",
 * "Dose(RP)", "Procedure Reported"). A concept lists every coding it is known under, because
 * PS3.16 moved anatomy and qualifier codes from SNOMED RT (SRT, e.g. G-A100) to SNOMED CT (SCT,
 * e.g. 24028007) and reports of both eras are in the archive.
 */
export interface Coding {
  readonly value: string;
  readonly scheme: string;
}

export interface CodedConcept extends Coding {
  readonly meaning?: string;
}

/** A concept known under one or more codings; `name` is for messages only, never for matching. */
export interface ConceptDef {
  readonly name: string;
  readonly codings: readonly Coding[];
}

/** SNOMED has gone by several designators; a code value is the same concept in each of them. */
const SNOMED_SCHEMES = ['SRT', 'SCT', 'SNM3', '99SDM'];

function def(name: string, ...codings: Array<[value: string, scheme: string]>): ConceptDef {
  return { name, codings: codings.map(([value, scheme]) => ({ value, scheme })) };
}

export function matches(concept: CodedConcept | null | undefined, target: ConceptDef): boolean {
  if (!concept) return false;
  return target.codings.some((c) => c.value === concept.value && (c.scheme === concept.scheme || (SNOMED_SCHEMES.includes(c.scheme) && SNOMED_SCHEMES.includes(concept.scheme))));
}

/** Report roots (document titles). */
export const ROOT = {
  xRayDoseReport: def('X-Ray Radiation Dose Report', ['113701', 'DCM']),
  radiopharmaceuticalDoseReport: def('Radiopharmaceutical Radiation Dose Report', ['113500', 'DCM']),
};

/** Observer and report context (TID 1002, TID 10001/10011 headers). */
export const CONTEXT = {
  procedureReported: def('Procedure reported', ['121058', 'DCM']),
  deviceObserverUid: def('Device Observer UID', ['121012', 'DCM']),
  scopeOfAccumulation: def('Scope of Accumulation', ['113705', 'DCM']),
  studyInstanceUid: def('Study Instance UID', ['110180', 'DCM']),
  ctProcedure: def('Computed Tomography X-Ray', ['P5-08000', 'SRT'], ['77477000', 'SCT']),
  projectionProcedure: def('Projection X-Ray', ['113704', 'DCM']),
  mammographyProcedure: def('Mammography', ['P5-40010', 'SRT'], ['71651007', 'SCT']),
};

/** TID 10011 CT Radiation Dose and its sub-templates. */
export const CT = {
  accumulatedDoseData: def('CT Accumulated Dose Data', ['113811', 'DCM']),
  totalNumberOfIrradiationEvents: def('Total Number of Irradiation Events', ['113812', 'DCM']),
  dlpTotal: def('CT Dose Length Product Total', ['113813', 'DCM']),
  acquisition: def('CT Acquisition', ['113819', 'DCM']),
  dose: def('CT Dose', ['113829', 'DCM']),
  ctdiVol: def('Mean CTDIvol', ['113830', 'DCM']),
  dlp: def('DLP', ['113838', 'DCM']),
  acquisitionType: def('CT Acquisition Type', ['113820', 'DCM']),
  phantomType: def('CTDIw Phantom Type', ['113835', 'DCM']),
  headPhantom: def('IEC Head Dosimetry Phantom', ['113690', 'DCM']),
  bodyPhantom: def('IEC Body Dosimetry Phantom', ['113691', 'DCM']),
};

/** Shared by CT and projection X-ray events. */
export const EVENT = {
  irradiationEventUid: def('Irradiation Event UID', ['113769', 'DCM']),
  dateTimeStarted: def('DateTime Started', ['111526', 'DCM']),
  acquisitionProtocol: def('Acquisition Protocol', ['125203', 'DCM']),
};

/** TID 10015 CT Dose Check Details (NEMA XR-25 alerts and notifications). */
export const DOSE_CHECK = {
  alertDetails: def('Dose Check Alert Details', ['113900', 'DCM']),
  dlpAlertConfigured: def('DLP Alert Value Configured', ['113901', 'DCM']),
  ctdiVolAlertConfigured: def('CTDIvol Alert Value Configured', ['113902', 'DCM']),
  dlpAlertValue: def('DLP Alert Value', ['113903', 'DCM']),
  ctdiVolAlertValue: def('CTDIvol Alert Value', ['113904', 'DCM']),
  accumulatedDlpForwardEstimate: def('Accumulated DLP Forward Estimate', ['113905', 'DCM']),
  accumulatedCtdiVolForwardEstimate: def('Accumulated CTDIvol Forward Estimate', ['113906', 'DCM']),
  reasonForProceeding: def('Reason For Proceeding', ['113907', 'DCM']),
  notificationDetails: def('Dose Check Notification Details', ['113908', 'DCM']),
  dlpNotificationConfigured: def('DLP Notification Value Configured', ['113909', 'DCM']),
  ctdiVolNotificationConfigured: def('CTDIvol Notification Value Configured', ['113910', 'DCM']),
  dlpNotificationValue: def('DLP Notification Value', ['113911', 'DCM']),
  ctdiVolNotificationValue: def('CTDIvol Notification Value', ['113912', 'DCM']),
  dlpForwardEstimate: def('DLP Forward Estimate', ['113913', 'DCM']),
  ctdiVolForwardEstimate: def('CTDIvol Forward Estimate', ['113914', 'DCM']),
  personName: def('Person Name', ['113870', 'DCM']),
  yes: def('Yes', ['R-0038D', 'SRT'], ['373066001', 'SCT']),
  no: def('No', ['R-00339', 'SRT'], ['373067005', 'SCT']),
};

/** TID 10001 Projection X-Ray Radiation Dose, TID 10002/10003 and the mammography rows. */
export const PROJECTION = {
  accumulatedXRayDose: def('Accumulated X-Ray Dose Data', ['113702', 'DCM']),
  irradiationEvent: def('Irradiation Event X-Ray Data', ['113706', 'DCM']),
  acquisitionPlane: def('Acquisition Plane', ['113764', 'DCM']),
  planeA: def('Plane A', ['113620', 'DCM']),
  planeB: def('Plane B', ['113621', 'DCM']),
  singlePlane: def('Single Plane', ['113622', 'DCM']),
  dapTotal: def('Dose Area Product Total', ['113722', 'DCM']),
  rpDoseTotal: def('Dose (RP) Total', ['113725', 'DCM']),
  fluoroDapTotal: def('Fluoro Dose Area Product Total', ['113726', 'DCM']),
  acquisitionDapTotal: def('Acquisition Dose Area Product Total', ['113727', 'DCM']),
  fluoroRpDoseTotal: def('Fluoro Dose (RP) Total', ['113728', 'DCM']),
  acquisitionRpDoseTotal: def('Acquisition Dose (RP) Total', ['113729', 'DCM']),
  totalFluoroTime: def('Total Fluoro Time', ['113730', 'DCM']),
  totalAcquisitionTime: def('Total Acquisition Time', ['113855', 'DCM']),
  dap: def('Dose Area Product', ['122130', 'DCM']),
  rpDose: def('Dose (RP)', ['113738', 'DCM']),
  irradiationEventType: def('Irradiation Event Type', ['113721', 'DCM']),
  accumulatedAgd: def('Accumulated Average Glandular Dose', ['111637', 'DCM']),
  agd: def('Average Glandular Dose', ['111631', 'DCM']),
  entranceExposureAtRp: def('Entrance Exposure at RP', ['111636', 'DCM']),
  anatomicalStructure: def('Anatomical structure', ['T-D0005', 'SRT'], ['91723000', 'SCT']),
  laterality: def('Laterality', ['G-C171', 'SRT'], ['272741003', 'SCT']),
};

/** Laterality values, both as breast sites (accumulated AGD) and as plain qualifiers (events). */
export const LATERALITY = {
  left: def('Left', ['G-A101', 'SRT'], ['7771000', 'SCT'], ['T-04030', 'SRT'], ['80248007', 'SCT']),
  right: def('Right', ['G-A100', 'SRT'], ['24028007', 'SCT'], ['T-04020', 'SRT'], ['73056007', 'SCT']),
  both: def('Right and left', ['G-A102', 'SRT'], ['51440002', 'SCT'], ['T-04080', 'SRT'], ['63762007', 'SCT']),
};

/** TID 10021 Radiopharmaceutical Radiation Dose. */
export const NM = {
  administration: def('Radiopharmaceutical Administration', ['113502', 'DCM']),
  administrationEventUid: def('Radiopharmaceutical Administration Event UID', ['113503', 'DCM']),
  administeredActivity: def('Administered activity', ['113507', 'DCM']),
  radiopharmaceuticalAgent: def('Radiopharmaceutical agent', ['F-61FDB', 'SRT'], ['349358000', 'SCT']),
  radionuclide: def('Radionuclide', ['C-10072', 'SRT'], ['89457008', 'SCT']),
  startDateTime: def('Radiopharmaceutical Start DateTime', ['123003', 'DCM']),
  effectiveDose: def('Effective Dose', ['113839', 'DCM']),
};

/**
 * Siemens "Radiation Summary Report" (ARCADIS Varic and other mobile C-arms), a private
 * template inside an Enhanced SR. It carries the only dose record these units emit, so the hub
 * reads its three totals rather than dropping them; see manufacturers/siemens-radiation-summary.parser.ts.
 */
export const SIEMENS_RADSUM = {
  root: def('Radiation Summary Report', ['C-10', '99SMS_RADSUM']),
  totalExposures: def('Total number of exposures', ['C-200', '99SMS_RADSUM']),
  cumulativeFluoroTime: def('Cumulative fluoro time', ['C-202', '99SMS_RADSUM']),
  cumulativeDap: def('Cumulative dose area product', ['C-204', '99SMS_RADSUM']),
};
