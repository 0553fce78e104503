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
