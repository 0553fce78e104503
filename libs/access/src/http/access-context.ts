import type { Request } from 'express';
import type { Principal } from '@krypton/auth';
import type { AuditDoor } from '@krypton/audit';
import type { AccessContext } from '../access.service';
import { userSubject } from '../subject';

/** The DICOMweb root (the viewer reads it with its cookie). */
const DICOMWEB = '/dicomweb';

/** The door a request came through: DICOMweb, the viewer (DICOMweb with the cookie), or REST. */
export function httpDoor(req: Pick<Request, 'path'> & { authVia?: string }): AuditDoor {
  if (req.path === DICOMWEB || req.path.startsWith(`${DICOMWEB}/`)) return req.authVia === 'cookie' ? 'viewer' : 'DICOMweb';
  return 'REST';
}

/** The access context of an authenticated HTTP request (the auth guard has set `principal`). */
export function accessContext(req: Request): AccessContext {
  const r = req as Request & { principal: Principal; authVia?: string };
  return { subject: userSubject(r.principal), door: httpDoor(r), clientAddress: req.ip ?? req.socket?.remoteAddress ?? null };
}
