import { CONTEXT, CT, PROJECTION, ROOT, SIEMENS_RADSUM, matches } from './codes';
import { NaturalDataset, str } from './dataset-values';
import { DoseReport, EMPTY_TOTALS } from './dose-report';
import { parseCtDose } from './ct-dose.parser';
import { extractHeaderDose } from './header-dose';
import { Diagnostics } from './measurement';
import { parseNmDose } from './nm-dose.parser';
import { ParsedDose, TemplateParser } from './parsed-dose';
import { readPart10 } from './part10-reader';
import { parseProjectionDose } from './projection-dose.parser';
import { SrNode, buildSrTree, childOf, codedConcept } from './sr-tree';
import { parseSiemensRadiationSummary } from './manufacturers/siemens-radiation-summary.parser';

/**
 * Extracts the radiation dose of one DICOM object (a naturalized dcmjs data set).
 *
 * A dose report is recognised by its root concept, whatever SR SOP class carries it: vendors
 * send the X-Ray Radiation Dose Report (113701) and the Radiopharmaceutical Radiation Dose
 * Report (113500) inside Enhanced and Comprehensive SR as well as the dedicated classes. Any
 * other SR is NOT_DOSE. A non-SR object is read for header dose (source 'header'), and is
 * NOT_DOSE when it states none.
 *
 * Never throws on content: doubtful values are left null and explained in `warnings`.
 *
 * @example
 *   const report = extractDose(dataset);
 *   if (report.kind === 'CT') console.log(report.totals.dlpTotal_mGy_cm);
 */
export function extractDose(dataset: NaturalDataset): DoseReport {
  return buildReport(dataset, new Diagnostics());
}

/**
 * Reads Part 10 bytes and extracts their dose.
 * @throws DoseParseError when the bytes are not a readable DICOM data set.
 */
export function extractDoseFromPart10(bytes: Uint8Array | ArrayBuffer): DoseReport {
  const { dataset, warnings } = readPart10(bytes);
  const diag = new Diagnostics();
  warnings.forEach((w) => diag.warn(w));
  return buildReport(dataset, diag);
}

function buildReport(dataset: NaturalDataset, diag: Diagnostics): DoseReport {
  const identity = {
    sopClassUid: str(dataset.SOPClassUID),
    sopInstanceUid: str(dataset.SOPInstanceUID),
    studyInstanceUid: str(dataset.StudyInstanceUID),
    modality: str(dataset.Modality),
  };
  if (isStructuredReport(dataset)) {
    const root = buildSrTree(dataset);
    const parser = parserFor(root, diag);
    if (!parser) return notDose(identity, diag);
    const parsed: ParsedDose = parser(root, diag);
    return {
      ...identity,
      ...parsed,
      source: 'rdsr',
      deviceObserverUid: childOf(root, CONTEXT.deviceObserverUid)?.text ?? null,
      warnings: diag.warnings,
    };
  }
  const header = extractHeaderDose(dataset);
  if (!header) return notDose(identity, diag);
  return {
    ...identity,
    kind: header.kind,
    source: 'header',
    template: 'IMAGE_HEADER',
    deviceObserverUid: null,
    events: header.events,
    totals: { ...EMPTY_TOTALS, eventCount: header.events.length },
    warnings: diag.warnings,
  };
}

/** An SR document: its data set is the root content item (a CONTAINER with a title). */
function isStructuredReport(dataset: NaturalDataset): boolean {
  return str(dataset.ValueType) === 'CONTAINER' && codedConcept(dataset.ConceptNameCodeSequence) !== null;
}

function parserFor(root: SrNode, diag: Diagnostics): TemplateParser | null {
  if (matches(root.concept, ROOT.radiopharmaceuticalDoseReport)) return parseNmDose;
  if (matches(root.concept, SIEMENS_RADSUM.root)) return parseSiemensRadiationSummary;
  if (!matches(root.concept, ROOT.xRayDoseReport)) return null;
  // The same title covers CT and projection reports; the content says which template it is.
  if (childOf(root, CT.accumulatedDoseData) || childOf(root, CT.acquisition)) return parseCtDose;
  if (childOf(root, PROJECTION.accumulatedXRayDose) || childOf(root, PROJECTION.irradiationEvent)) {
    return parseProjectionDose;
  }
  const procedure = childOf(root, CONTEXT.procedureReported)?.code;
  if (matches(procedure, CONTEXT.ctProcedure)) return parseCtDose;
  if (matches(procedure, CONTEXT.projectionProcedure) || matches(procedure, CONTEXT.mammographyProcedure)) {
    return parseProjectionDose;
  }
  diag.warn('X-Ray Radiation Dose Report with neither CT nor projection X-ray content');
  return null;
}

function notDose(identity: Pick<DoseReport, 'sopClassUid' | 'sopInstanceUid' | 'studyInstanceUid' | 'modality'>, diag: Diagnostics): DoseReport {
  return {
    ...identity,
    kind: 'NOT_DOSE',
    source: null,
    template: null,
    deviceObserverUid: null,
    totals: EMPTY_TOTALS,
    events: [],
    warnings: diag.warnings,
  };
}
