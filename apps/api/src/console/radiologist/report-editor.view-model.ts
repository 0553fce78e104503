import type { PriorView, ReadingTaskView } from '@krypton/pathway';
import type { ChosenEditorTemplate } from '@krypton/reports';
import { patientLabel } from './worklist.view-model';

export interface PriorStudy {
  readonly studyUid: string;
  readonly date: string | null;
  readonly description: string | null;
  readonly modalities: string | null;
  /** available: in the hub, opens in the viewer; to-fetch / fetching: on its way from a site PACS; failed: with lastError. */
  readonly state: PriorView['state'];
  readonly relevance: string;
  readonly lastError: string | null;
}

/** The priors service's view as the editor lists it (most relevant first, as the store orders them). */
export function priorStudies(priors: readonly PriorView[]): PriorStudy[] {
  return priors.map((p) => ({
    studyUid: p.studyInstanceUid,
    date: p.studyDate,
    description: p.description,
    modalities: p.modalities.join(', ') || null,
    state: p.state,
    relevance: p.relevance,
    lastError: p.lastError,
  }));
}

export interface ReportEditorView {
  readonly requestId: string;
  readonly patient: string;
  readonly procedure: string;
  readonly accessionNumber: string | null;
  readonly clinicalInformation: string | null;
  readonly technique: string;
  readonly findings: string;
  readonly conclusion: string;
  /** 'draft' when the saved draft fills the fields, else where the template came from. */
  readonly startedFrom: 'draft' | ChosenEditorTemplate['source'];
  readonly priors: readonly PriorStudy[];
  /** The viewer on the exam and its priors in the hub, side by side with the editor; null before images arrive. */
  readonly viewerUrl: string | null;
  readonly canSign: boolean;
}

/** OHIF opens several studies at once when given their UIDs comma-separated (its StudyInstanceUIDs parameter). */
export function viewerUrl(studyUids: readonly (string | null)[]): string | null {
  const uids = [...new Set(studyUids.filter((u): u is string => !!u))];
  return uids.length ? `/viewer?StudyInstanceUIDs=${uids.map(encodeURIComponent).join(',')}` : null;
}

/**
 * The editor's fields: the saved draft wins field by field (a radiologist who cleared a field
 * keeps it cleared), the template fills a task never drafted. Priors exclude the exam itself.
 */
export function reportEditorView(task: ReadingTaskView, template: ChosenEditorTemplate, priors: readonly PriorStudy[], holder: string): ReportEditorView {
  const draft = task.draft;
  const others = priors.filter((p) => p.studyUid !== task.studyInstanceUid);
  return {
    requestId: task.requestId,
    patient: patientLabel(task.patient),
    procedure: task.procedure.label ?? task.procedure.code,
    accessionNumber: task.accessionNumber,
    clinicalInformation: task.clinicalInformation,
    technique: draft ? (draft.technique ?? '') : template.technique,
    findings: draft ? (draft.findings ?? '') : template.findings,
    conclusion: draft ? (draft.conclusion ?? '') : template.conclusion,
    startedFrom: draft ? 'draft' : template.source,
    priors: others,
    viewerUrl: task.studyInstanceUid ? viewerUrl([task.studyInstanceUid, ...others.filter((p) => p.state === 'available').map((p) => p.studyUid)]) : null,
    canSign: task.state === 'claimed' && task.claimedBy === holder,
  };
}
