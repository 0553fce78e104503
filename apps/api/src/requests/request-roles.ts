import { NotFoundException } from '@nestjs/common';
import type { Request } from 'express';
import type { AccessAction } from '@krypton/config';
import { accessContext, AccessService, requestFilter } from '@krypton/access';
import type { RequestFilter, RequestService, RequestView } from '@krypton/pathway';
import { requireExam } from '../common/access-http';

/** The caller's request scope (libs/access) as the request list's SQL condition. */
export function requestScope(access: AccessService, req: Request, action: AccessAction = 'search'): RequestFilter['access'] {
  const f = requestFilter(access.policy, accessContext(req).subject, action);
  return f === 'all' ? undefined : f;
}

/**
 * The request, if the caller may `action` it (libs/access, audited). Another site's or referrer's
 * request answers 404 exactly as an absent one: its existence is patient data too.
 */
export async function visibleRequest(access: AccessService, requests: Pick<RequestService, 'get'>, req: Request, id: string, action: AccessAction = 'read-metadata'): Promise<RequestView> {
  const notFound = () => new NotFoundException(`id: no request ${id}`);
  await requireExam(access, req, action, 'request', { requestId: id }, notFound);
  const found = await requests.get(id);
  if (!found) throw notFound();
  return found;
}

/**
 * The requests the caller may search, filtered in SQL by their scope, and the one audit record of
 * the search naming every patient and study it disclosed (`GET /requests`, `GET /pathways`, the console).
 */
export async function searchRequests(access: AccessService, requests: Pick<RequestService, 'list'>, req: Request, filter: Omit<RequestFilter, 'access'>): Promise<RequestView[]> {
  const rows = await requests.list({ ...filter, access: requestScope(access, req), limit: filter.limit ?? 100, offset: filter.offset ?? 0 });
  await access.recordSearch(
    accessContext(req),
    'request',
    rows.map((r) => ({ patient: r.patient.ins ?? null, study: r.studyInstanceUid ?? null })),
  );
  return rows;
}
