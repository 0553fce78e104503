import type { SignReportInput } from './sign-report-input';
import { displayDate, zoned } from './report-time';

const SEX_LABELS: Record<string, string> = { M: 'Masculin', F: 'Féminin', O: 'Autre', U: 'Inconnu' };

/**
 * What the template sees. Every key is always present (null when unknown) because the template is
 * compiled in strict mode: a misspelt `{{patient.birthdate}}` fails the start-up dry run instead of
 * printing an empty line on a signed report. Values are preformatted (French dates, labels) so the
 * template needs no helpers beyond layout.
 */
export interface ReportViewModel {
  readonly site: { readonly name: string; readonly finess: string | null };
  readonly patient: {
    /** "DUPONT Marie" */
    readonly displayName: string;
    readonly familyName: string;
    readonly givenName: string | null;
    readonly birthDate: string | null;
    readonly sex: string | null;
    readonly ins: string | null;
    /** "IPP-1 (000000002)" per local identifier. */
    readonly identifiers: readonly string[];
  };
  readonly exam: {
    readonly label: string;
    readonly code: string;
    readonly date: string | null;
    readonly accessionNumber: string;
    readonly studyInstanceUid: string;
  };
  readonly referrer: { readonly name: string; readonly rpps: string | null; readonly organisation: string | null };
  readonly clinicalInformation: string | null;
  readonly technique: string | null;
  readonly findings: string;
  readonly conclusion: string;
  readonly radiologist: { readonly name: string; readonly id: string | null };
  readonly signed: { readonly date: string; readonly time: string };
  readonly version: number;
  readonly isAddendum: boolean;
}

/**
 * Control characters would let a value forge the renderer's line markers (and have no place in a
 * report); CRLF and CR become LF so that line breaks typed on any system survive.
 */
// eslint-disable-next-line no-control-regex -- control characters are what cleanText strips
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

export function cleanText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(CONTROL_CHARACTERS, '').replace(/\t/g, '    ');
}

function opt(value: string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  const cleaned = cleanText(value).trim();
  return cleaned === '' ? null : cleaned;
}

export function reportView(input: SignReportInput, signedAt: Date, version: number, timeZone: string): ReportViewModel {
  const p = input.patient;
  const familyName = cleanText(p.familyName).trim();
  const givenName = opt(p.givenName);
  const signed = zoned(signedAt, timeZone);
  return {
    site: { name: cleanText(input.exam.site.name).trim(), finess: opt(input.exam.site.finess) },
    patient: {
      displayName: givenName ? `${familyName} ${givenName}` : familyName,
      familyName,
      givenName,
      birthDate: displayDate(p.birthDate, timeZone),
      sex: p.sex ? (SEX_LABELS[p.sex] ?? p.sex) : null,
      ins: opt(p.ins),
      identifiers: p.identifiers.map((id) => `${cleanText(id.value)} (${cleanText(id.issuer)})`),
    },
    exam: {
      label: cleanText(input.exam.procedureLabel).trim(),
      code: cleanText(input.exam.procedureCode).trim(),
      date: displayDate(input.exam.examDate, timeZone),
      accessionNumber: input.exam.accessionNumber,
      studyInstanceUid: input.exam.studyInstanceUid,
    },
    referrer: { name: cleanText(input.referrer.name).trim(), rpps: opt(input.referrer.rpps), organisation: opt(input.referrer.organisation) },
    clinicalInformation: opt(input.clinicalInformation),
    technique: opt(input.technique),
    findings: cleanText(input.findings).trim(),
    conclusion: cleanText(input.conclusion).trim(),
    radiologist: { name: cleanText(input.radiologist.name).trim(), id: opt(input.radiologist.id) },
    signed: { date: signed.date, time: signed.time },
    version,
    isAddendum: version > 1,
  };
}
