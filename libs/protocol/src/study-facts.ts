export type Priority = 'routine' | 'urgent' | 'emergency';

/** What a rule can look at, gathered from the catalogue (and the exam request, when there is one). */
export interface StudyFacts {
  readonly studyUid: string;
  readonly sourceAe: string | null;
  /** The site of the sending AE, from the configuration. */
  readonly sourceSite: string | null;
  readonly modalities: readonly string[];
  readonly bodyParts: readonly string[];
  readonly studyDescription: string | null;
  /** From the exam request the study was acquired for; null for archive traffic. */
  readonly procedureCode: string | null;
  readonly priority: Priority | null;
  /** When the study arrived (became stable): the time windows are read against it. */
  readonly at: Date;
}
