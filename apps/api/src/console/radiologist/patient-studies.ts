import type { Request } from 'express';
import { accessContext, AccessService } from '@krypton/access';
import { CatalogService } from '@krypton/catalog';
import type { PriorStudy } from './report-editor.view-model';

/** Priors listed beside the editor: enough for a reading, not the patient's whole history. */
const PRIORS_LIMIT = 20;

/**
 * The other studies of the exam's patient in the catalogue (same Patient ID and issuer), as the
 * caller may see them: the same scoped query and audit record as a QIDO-RS search. This stands in
 * for the priors service while it is not on main: it does not follow the INS to other sites.
 */
export async function patientStudies(catalog: CatalogService, access: AccessService, req: Request, studyUid: string | null): Promise<PriorStudy[]> {
  if (!studyUid) return [];
  const study = await catalog.study(studyUid);
  if (!study) return [];
  const actx = accessContext(req);
  const filter = access.filter(actx, 'search');
  if (filter === 'none') return [];
  const keys = { PatientID: study.patient.patientId, IssuerOfPatientID: study.patient.issuer };
  const rows = await catalog.query({ level: 'STUDY', keys, limit: PRIORS_LIMIT, scope: filter === 'all' ? undefined : filter, withAuditKeys: true });
  await access.recordSearch(
    actx,
    'study',
    rows.map((r) => ({ patient: (r.__ins ?? r.__pkey) as string | null, study: (r.__study ?? null) as string | null })),
    { purpose: 'priors', keys },
  );
  return rows.map((r) => ({
    studyUid: String(r.StudyInstanceUID),
    date: r.StudyDate ? String(r.StudyDate) : null,
    description: r.StudyDescription ? String(r.StudyDescription) : null,
    modalities: r.ModalitiesInStudy ? String(r.ModalitiesInStudy).split('\\').join(', ') : null,
  }));
}
