import { patientSelector, type PatientSelector } from '@krypton/patient-match';
import type { RequestPatient } from './new-request';

/** A study of the patient found in the catalogue or at a site PACS, before relevance is judged. */
export interface PriorCandidate {
  readonly studyUid: string;
  /** `catalogue` (held by the hub) or the name of the site PACS that holds it. */
  readonly source: string;
  /** YYYY-MM-DD, null when the study carries no Study Date. */
  readonly studyDate: string | null;
  readonly modalities: readonly string[];
  readonly bodyParts: readonly string[];
  readonly description: string | null;
  readonly instances: number | null;
}

export interface RelevantPrior extends PriorCandidate {
  /** Why it is relevant, for the radiologist: `same modality and body part`, `related modality (PT)`... */
  readonly relevance: string;
  /** 1 = most relevant. */
  readonly rank: number;
}

/** The exam to be read: what it is compared on. */
export interface ExamToRead {
  readonly studyUid: string | null;
  readonly modality: string | null;
  readonly bodyPart: string | null;
  /** YYYY-MM-DD: priors are older than this. */
  readonly date: string;
}

/** `pathway.priors` of the configuration: the relevance rule's knobs. */
export interface PriorRule {
  readonly maxAgeYears: number;
  readonly maxAgeYearsByModality: Readonly<Record<string, number>>;
  readonly relatedModalities: Readonly<Record<string, readonly string[]>>;
  readonly sameBodyPart: boolean;
  readonly maxPriors: number;
}

const DAY = 86_400_000;
const norm = (s: string) => s.trim().toUpperCase();

/**
 * The relevant priors of an exam, most relevant first: the same modality (or a related one), the
 * same body part when both sides name one, dated no later than the exam and within the age window
 * of the exam's modality. Unknown modality on the exam: every modality is relevant; a prior with no
 * Study Date is kept (age unknown) after the dated ones of the same relevance. Pure.
 */
export function selectRelevantPriors(exam: ExamToRead, candidates: readonly PriorCandidate[], rule: PriorRule): RelevantPrior[] {
  const modality = exam.modality ? norm(exam.modality) : null;
  const bodyPart = exam.bodyPart ? norm(exam.bodyPart) : null;
  const related = new Set((modality && rule.relatedModalities[modality]) || []);
  const years = (modality && rule.maxAgeYearsByModality[modality]) || rule.maxAgeYears;
  const examDay = Date.parse(`${exam.date}T00:00:00Z`);
  const oldest = examDay - years * 365.25 * DAY;
  const judged: { c: PriorCandidate; score: number; relevance: string; day: number }[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (c.studyUid === exam.studyUid || seen.has(c.studyUid)) continue;
    const mods = c.modalities.map(norm);
    const parts = c.bodyParts.map(norm).filter(Boolean);
    let score: number;
    let why: string;
    if (!modality) [score, why] = [1, 'exam modality unknown'];
    else if (mods.includes(modality)) [score, why] = [2, 'same modality'];
    else {
      const r = mods.find((m) => related.has(m));
      if (!r) continue;
      [score, why] = [1, `related modality (${r})`];
    }
    if (bodyPart && parts.length) {
      if (parts.includes(bodyPart)) [score, why] = [score + 2, `${why} and body part`];
      else if (rule.sameBodyPart) continue;
    }
    const day = c.studyDate ? Date.parse(`${c.studyDate}T00:00:00Z`) : NaN;
    if (!Number.isNaN(day) && (day > examDay || day < oldest)) continue;
    seen.add(c.studyUid);
    judged.push({ c, score, relevance: why, day: Number.isNaN(day) ? -Infinity : day });
  }
  judged.sort((a, b) => b.score - a.score || b.day - a.day || a.c.studyUid.localeCompare(b.c.studyUid));
  return judged.slice(0, rule.maxPriors).map((j, i) => ({ ...j.c, relevance: j.relevance, rank: i + 1 }));
}

/**
 * Who a request's patient is to the patient-matching rule: the INS (every site's record of the
 * person) and each local identifier within its issuer. A bare identifier never selects.
 */
export function requestPatientSelectors(patient: Pick<RequestPatient, 'ins' | 'identifiers'>): PatientSelector[] {
  return [
    ...(patient.ins ? [{ kind: 'ins', ins: patient.ins } as const] : []),
    ...patient.identifiers.map((i) => patientSelector(i.value, i.issuer)).filter((s): s is PatientSelector => s !== null && s.kind !== 'bare'),
  ];
}

/** DICOM DA (YYYYMMDD) to YYYY-MM-DD; null when it is not one date. */
export function dicomDateToIso(da: unknown): string | null {
  const s = typeof da === 'string' ? da.trim() : '';
  return /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : null;
}
