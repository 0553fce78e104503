import { NotFoundException } from '@nestjs/common';
import type { Request } from 'express';
import type { AccessAction } from '@krypton/config';
import { accessContext, AccessService, ExamDecision, ExamResourceType } from '@krypton/access';

/**
 * An exam the caller may `action`, or the door's "not found": what the caller may not see
 * answers exactly as what does not exist (its existence is patient data too).
 */
export async function requireExam(
  access: AccessService,
  req: Request,
  action: AccessAction,
  type: ExamResourceType,
  ref: { studyUid?: string | null; requestId?: string | null },
  notFound: () => Error = () => new NotFoundException(`no ${type} ${ref.requestId ?? ref.studyUid}`),
  detail?: Record<string, unknown>,
): Promise<ExamDecision> {
  const d = await access.authorizeExam(accessContext(req), action, type, ref, detail);
  if (!d.allowed) throw notFound();
  return d;
}
