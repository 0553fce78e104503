import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { hl7Timestamp } from '../ack-builder';
import { escapeValue } from '../escape';
import { INS_OIDS } from '../patient-reader';
import { SegmentTemplate, compileSegmentTemplate } from '../segment-template';
import { STANDARD_SEPARATORS } from '../separators';
import { Hl7DateTimeInput, OruInput, OruInputError } from './oru-input';

/** MSH-10 is ST(20) in v2.5. */
const MAX_CONTROL_ID = 20;

/** Observation identifiers: what IHE RAD and most French RIS send for a narrative imaging report. */
export const ORU_OBSERVATIONS = {
  studyInstanceUid: '110180^Study Instance UID^DCM',
  findings: '18782-3^Radiology Study observation^LN',
  conclusion: '19005-8^Radiology Imaging study [Impression]^LN',
} as const;

export interface OruObservation {
  readonly setId: number;
  readonly valueType: 'HD' | 'TX';
  readonly identifier: string;
  readonly subId: string;
  readonly value: string;
  readonly status: string;
  readonly observedAt: string;
  readonly observer: string;
}

/** What config/hl7/oru.hbs receives: every value HL7-escaped, composites assembled. */
export interface OruContext {
  readonly fieldSeparator: string;
  readonly encodingCharacters: string;
  readonly sendingApplication: string;
  readonly sendingFacility: string;
  readonly receivingApplication: string;
  readonly receivingFacility: string;
  readonly dateTime: string;
  readonly controlId: string;
  readonly processingId: string;
  readonly characterSet: string;
  readonly patientIdentifiers: string;
  readonly patientName: string;
  readonly birthDate: string;
  readonly sex: string;
  readonly placerOrder: string;
  readonly fillerOrder: string;
  readonly procedure: string;
  readonly orderingProvider: string;
  readonly observationDateTime: string;
  readonly reportDateTime: string;
  readonly resultStatus: string;
  readonly principalInterpreter: string;
  readonly observations: readonly OruObservation[];
}

export type OruTemplate = SegmentTemplate<OruContext>;

export interface OruOptions {
  /** config/hl7/oru.hbs, compiled once (`loadOruTemplate(cfg.hl7.templatesDir)`). */
  readonly template: OruTemplate;
  /**
   * MSH-18. `sendMllp` encodes the bytes in the character set the message declares, so this is the
   * one switch. UTF-8 by default: a report may hold any character, 8859/1 turns what it lacks into '?'.
   */
  readonly characterSet?: 'UNICODE UTF-8' | '8859/1';
  /** MSH-11: P production, T training, D debugging. */
  readonly processingId?: 'P' | 'T' | 'D';
  /** MSH-7; now by default. */
  readonly now?: Date;
  /** Authority of PID-3's INS: the production INS-NIR OID unless the identity is a test one (…4.10). */
  readonly insAuthorityOid?: (typeof INS_OIDS)[number];
}

export function compileOruTemplate(source: string): OruTemplate {
  return compileSegmentTemplate<OruContext>(source);
}

/** Reads and compiles `oru.hbs` from the templates directory (`hl7.templatesDir`); call once at start-up. */
export function loadOruTemplate(templatesDir: string): OruTemplate {
  const file = resolve(templatesDir, 'oru.hbs');
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`hl7.templatesDir: cannot read ${file} (${e.message})`);
  }
  return compileOruTemplate(source);
}

/**
 * The receiving application and facility (MSH-5/MSH-6) of a request's placer system, the inverse
 * of `placerSystemOf` ("APP@FACILITY", or "APP" when the order named no facility).
 */
export function placerSystemParts(placerSystem: string | null | undefined): { application: string; facility: string } {
  const s = placerSystem ?? '';
  const at = s.indexOf('@');
  return at === -1 ? { application: s, facility: '' } : { application: s.slice(0, at), facility: s.slice(at + 1) };
}

/**
 * Builds an ORU^R01 carrying a signed report, as text with CR between segments (encode and frame
 * it with `sendMllp`). The report text goes as TX, one OBX per line, rather than one value with
 * \.br\: receivers that ignore formatting escapes (many do) would show `\.br\` literally, while
 * every receiver reassembles consecutive OBX of one observation into lines. Separators and
 * backslashes in the text are escaped (\F\ \S\ \T\ \R\ \E\), other control characters as \Xhh\.
 *
 * @example
 *   const template = loadOruTemplate(cfg.hl7.templatesDir);
 *   const message = buildOruR01(input, { template });
 *   const ack = await sendMllp(host, port, message, { timeoutMs: 30_000 });
 * @throws OruInputError naming the field when the input cannot make a valid message.
 */
export function buildOruR01(input: OruInput, options: OruOptions): string {
  check(input);
  return options.template(oruContext(input, options));
}

function oruContext(input: OruInput, options: OruOptions): OruContext {
  const esc = (v: string | null | undefined) => escapeValue(v ?? '', STANDARD_SEPARATORS);
  const comp = (...parts: (string | null | undefined)[]) => parts.map(esc).join('^').replace(/\^+$/, '');
  const { patient, report, referrer } = input;
  const signedAt = timestamp(report.signedAt, 'report.signedAt');
  const radiologist = xcn(report.radiologist.rpps, report.radiologist.name);
  const identifiers = patient.identifiers.map((i) => `${esc(i.value)}^^^${hd(i.issuer)}^PI`);
  if (patient.ins) identifiers.push(`${esc(patient.ins)}^^^ASIP-SANTE-INS-NIR&${options.insAuthorityOid ?? INS_OIDS[0]}&ISO^INS`);

  const observations: Omit<OruObservation, 'setId' | 'status' | 'observedAt' | 'observer'>[] = [];
  if (input.studyInstanceUid) observations.push({ valueType: 'HD', identifier: ORU_OBSERVATIONS.studyInstanceUid, subId: '', value: esc(input.studyInstanceUid) });
  for (const line of reportLines(report.findings)) observations.push({ valueType: 'TX', identifier: ORU_OBSERVATIONS.findings, subId: '1', value: esc(line) });
  for (const line of reportLines(report.conclusion)) observations.push({ valueType: 'TX', identifier: ORU_OBSERVATIONS.conclusion, subId: '2', value: esc(line) });

  return {
    fieldSeparator: STANDARD_SEPARATORS.fieldSeparator,
    encodingCharacters: STANDARD_SEPARATORS.getMsh2(),
    sendingApplication: esc(input.sendingApplication),
    sendingFacility: esc(input.sendingFacility),
    receivingApplication: esc(input.receivingApplication),
    receivingFacility: esc(input.receivingFacility),
    dateTime: hl7Timestamp(options.now ?? new Date()),
    controlId: esc(input.messageControlId),
    processingId: options.processingId ?? 'P',
    characterSet: options.characterSet ?? 'UNICODE UTF-8',
    patientIdentifiers: identifiers.join(STANDARD_SEPARATORS.repetitionSeparator),
    patientName: `${esc(patient.familyName)}^${esc(patient.givenName)}^^^^^L`,
    birthDate: esc(patient.birthDate),
    sex: esc(patient.sex),
    placerOrder: input.placerOrderNumber ? comp(input.placerOrderNumber, input.receivingApplication) : '',
    fillerOrder: comp(input.fillerOrderNumber, input.sendingApplication),
    procedure: comp(input.procedure.code, input.procedure.label, input.procedure.codingSystem),
    orderingProvider: xcn(referrer.rpps, referrer.name),
    observationDateTime: timestamp(input.observationDateTime, 'observationDateTime'),
    reportDateTime: signedAt,
    resultStatus: report.status,
    // NDL: the whole person is component 1, so its parts are subcomponents.
    principalInterpreter: [report.radiologist.rpps, report.radiologist.name].map(esc).join(STANDARD_SEPARATORS.subcomponentSeparator).replace(/&+$/, ''),
    observations: observations.map((o, i) => ({ ...o, setId: i + 1, status: report.status, observedAt: signedAt, observer: radiologist })),
  };

  /** CX-4 (HD): an OID goes in the universal-id subcomponent, anything else is a namespace. */
  function hd(issuer: string): string {
    return /^[0-2](\.\d+)+$/.test(issuer) ? `&${issuer}&ISO` : esc(issuer);
  }

  /** XCN: RPPS number (type RPPS in XCN-13) and the name as the request holds it, whole in XCN-2. */
  function xcn(rpps: string | undefined, name: string): string {
    const parts: string[] = [esc(rpps), esc(name)];
    if (rpps) parts[12] = 'RPPS';
    return Array.from(parts, (p) => p ?? '')
      .join('^')
      .replace(/\^+$/, '');
  }
}

/** The lines of one report section: trailing blanks trimmed (TX), blank lines at either end dropped. */
function reportLines(text: string): string[] {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd());
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function timestamp(value: Hl7DateTimeInput, field: string): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new OruInputError(field, `"${String(value)}" is not a date-time`);
  return hl7Timestamp(d);
}

function check(input: OruInput): void {
  const required: [string, string | undefined | null][] = [
    ['messageControlId', input.messageControlId],
    ['sendingApplication', input.sendingApplication],
    ['receivingApplication', input.receivingApplication],
    ['fillerOrderNumber', input.fillerOrderNumber],
    ['patient.familyName', input.patient.familyName],
    ['procedure.code', input.procedure.code],
    ['report.radiologist.name', input.report.radiologist.name],
  ];
  for (const [field, value] of required) if (!value?.trim()) throw new OruInputError(field, 'is required');
  if (input.messageControlId.length > MAX_CONTROL_ID) throw new OruInputError('messageControlId', `at most ${MAX_CONTROL_ID} characters (MSH-10 is ST(20))`);
  if (!input.patient.ins && input.patient.identifiers.length === 0) throw new OruInputError('patient.identifiers', 'an INS or a local identifier is required');
  if (input.report.status !== 'F' && input.report.status !== 'C') throw new OruInputError('report.status', `"${input.report.status}" is not F or C`);
  if (!input.report.findings.trim() && !input.report.conclusion.trim()) throw new OruInputError('report.findings', 'the report has no text');
}
