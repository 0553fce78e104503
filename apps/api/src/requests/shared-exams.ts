import type { Request } from 'express';
import { accessContext, AccessService } from '@krypton/access';
import type { Principal } from '@krypton/auth';
import type { ExamAccessStore, RequestService, RequestView } from '@krypton/pathway';

export interface SharedExam {
  readonly request: RequestView;
  readonly sharedAs: string | null;
  readonly sharedAt: string;
}

/**
 * Exams shared with the caller (a referrer by RPPS, a patient by INS), newest first, with the one
 * audit record of the search (`GET /shared/exams` and the console's patient screens).
 */
export async function sharedExams(
  access: AccessService,
  shares: Pick<ExamAccessStore, 'sharedWith'>,
  requests: Pick<RequestService, 'get'>,
  req: Request,
  who: Principal,
  page: { limit?: number; offset?: number } = {},
): Promise<SharedExam[]> {
  const grants = await shares.sharedWith(who.identifiers, page.limit ?? 100, page.offset ?? 0);
  const exams = await Promise.all(grants.map(async (g) => ({ grant: g, request: await requests.get(g.requestId) })));
  await access.recordSearch(
    accessContext(req),
    'report',
    exams.map((e) => ({ patient: e.request?.patient.ins ?? null, study: e.request?.studyInstanceUid ?? null })),
  );
  return exams.filter((e) => e.request).map((e) => ({ request: e.request!, sharedAs: e.grant.reason, sharedAt: e.grant.grantedAt }));
}
