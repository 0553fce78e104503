import type { Destination } from '@krypton/config';
import { findScu } from '@krypton/dicom-network';
import { issuerOfPatientId, matchesPatient, type PatientSelector } from '@krypton/patient-match';
import { dicomDateToIso, type PriorCandidate } from '@krypton/pathway';

/** A naturalized multi-valued string (dcmjs gives an array, some peers one backslash-joined string). */
function values(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : String(v).split('\\');
  return list.map((x) => String(x).trim()).filter(Boolean);
}

const text = (v: unknown): string => values(v)[0] ?? '';

/**
 * The patient's studies at a site PACS since `sinceDa` (DICOM date): one STUDY-level C-FIND per
 * identifier of the patient, the answers kept only when the patient-matching rule accepts their
 * Patient ID and issuer (the PACS matches Patient ID alone; an answer without an issuer takes the
 * AE's `defaultIssuerOfPatientId`), then one SERIES-level C-FIND per study for its modalities and
 * body parts (Body Part Examined is a series attribute).
 */
export async function siteCandidates(peer: Destination, selectors: readonly PatientSelector[], sinceDa: string, callingAeTitle: string, timeoutMs: number): Promise<PriorCandidate[]> {
  const opts = { callingAeTitle, timeoutMs, connectTimeoutMs: 30_000 };
  const studies = new Map<string, Record<string, unknown>>();
  for (const sel of selectors) {
    const patientId = sel.kind === 'ins' ? sel.ins : sel.kind === 'local' ? sel.patientId : null;
    if (!patientId) continue;
    const answers = await findScu(
      peer,
      'STUDY',
      { PatientID: patientId, IssuerOfPatientID: '', StudyInstanceUID: '', StudyDate: `${sinceDa}-`, StudyDescription: '', ModalitiesInStudy: '', NumberOfStudyRelatedInstances: '' },
      opts,
    );
    for (const a of answers) {
      const record = { patientId: text(a.PatientID), issuer: issuerOfPatientId(a) || peer.defaultIssuerOfPatientId || '', ins: null };
      const uid = text(a.StudyInstanceUID);
      if (uid && matchesPatient(sel, record)) studies.set(uid, a);
    }
  }
  const out: PriorCandidate[] = [];
  for (const [studyUid, a] of studies) {
    const series = await findScu(peer, 'SERIES', { StudyInstanceUID: studyUid, SeriesInstanceUID: '', Modality: '', BodyPartExamined: '' }, opts);
    const modalities = new Set([...values(a.ModalitiesInStudy), ...series.map((s) => text(s.Modality)).filter(Boolean)]);
    const bodyParts = new Set(series.map((s) => text(s.BodyPartExamined).toUpperCase()).filter(Boolean));
    const count = Number(text(a.NumberOfStudyRelatedInstances));
    out.push({
      studyUid,
      source: peer.name,
      studyDate: dicomDateToIso(text(a.StudyDate)),
      modalities: [...modalities],
      bodyParts: [...bodyParts],
      description: text(a.StudyDescription) || null,
      instances: Number.isFinite(count) && count > 0 ? count : null,
    });
  }
  return out;
}
