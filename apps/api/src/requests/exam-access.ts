import { ForbiddenException } from '@nestjs/common';
import type { Principal } from '@krypton/auth';
import type { ExamAccessStore } from '@krypton/pathway';

/** Roles that see every exam's report (the radiology side and the sites that performed them). */
export const REPORT_STAFF_ROLES = ['coordinator', 'admin', 'radiologist', 'site'];

/** Referrers and patients see an exam's report only once it is shared with them (exam_access_grant). */
export async function checkExamAccess(access: ExamAccessStore, requestId: string, who: Principal): Promise<void> {
  if (who.roles.some((r) => REPORT_STAFF_ROLES.includes(r))) return;
  if (await access.isGranted(requestId, who.identifiers)) return;
  throw new ForbiddenException(`id: exam ${requestId} is not shared with ${who.name}`);
}
