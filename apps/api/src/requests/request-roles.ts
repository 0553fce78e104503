import type { Principal } from '@krypton/auth';
import { NotFoundException } from '@nestjs/common';
import type { RequestService, RequestView, RequestVisibility } from '@krypton/pathway';

/** Who may submit and cancel requests: referrers, and the coordinators acting for them. */
export const SUBMIT_ROLES = ['referrer', 'coordinator', 'admin'];
/** Who may read requests; a referrer only their own (see `visibleTo`). */
export const READ_ROLES = ['referrer', 'coordinator', 'admin', 'radiologist', 'site'];

/** Roles that see every request: the radiology side and the sites performing the exams. */
const SEES_ALL = ['coordinator', 'admin', 'radiologist', 'site'];

/**
 * What a caller may see of the requests: everything for the radiology side; for a referrer, the
 * requests they submitted (REST/FHIR: their user name is the creator) or that name them by RPPS
 * (orders that came by HL7 from their hospital's system). Restricting a site to its own exams is
 * the authorization model's next step.
 */
export function visibleTo(who: Principal): RequestVisibility | undefined {
  if (who.roles.some((r) => SEES_ALL.includes(r))) return undefined;
  return { createdBy: who.name, rpps: who.identifiers.filter((i) => i.startsWith('rpps:')).map((i) => i.slice(5)) };
}

/** Whether `r` is within `v` (undefined: no restriction). */
function isVisible(r: Pick<RequestView, 'createdBy' | 'referrer'>, v: RequestVisibility | undefined): boolean {
  return !v || r.createdBy === v.createdBy || (r.referrer.rpps !== undefined && v.rpps.includes(r.referrer.rpps));
}

/**
 * The request, if the caller may see it. Another referrer's request answers 404 exactly as an
 * absent one: its existence is patient data too.
 */
export async function visibleRequest(requests: Pick<RequestService, 'get'>, id: string, who: Principal): Promise<RequestView> {
  const found = await requests.get(id);
  if (!found || !isVisible(found, visibleTo(who))) throw new NotFoundException(`id: no request ${id}`);
  return found;
}
