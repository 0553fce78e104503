import { CanActivate, ExecutionContext, ForbiddenException, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { IS_PUBLIC } from '@krypton/auth';
import { AuditUnavailableError } from '@krypton/audit';
import { AccessService } from '../access.service';
import { permits } from '../decide';
import { accessContext } from './access-context';
import { ACCESS_POLICY, RoutePolicy } from './access.decorator';

/**
 * Runs after the auth guard on every route. A route without an @Access policy is refused (fail
 * closed). The role-level part of the decision happens here; a refusal is audited and answers
 * 403. Role-only resources are audited here too; instance decisions are the handler's.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const policy = this.reflector.getAllAndOverride<RoutePolicy | undefined>(ACCESS_POLICY, targets);
    if (!policy) throw new ForbiddenException('this route has no access policy');
    const req = ctx.switchToHttp().getRequest<Request>();
    const actx = accessContext(req);
    const allowed = permits(this.access.policy, actx.subject, policy.resource, policy.action);
    if (allowed && policy.instance) return true;
    try {
      await this.access.record(actx, {
        action: policy.action,
        outcome: allowed ? 'allowed' : 'denied',
        resourceType: policy.resource,
        resourceId: req.path,
        reason: allowed ? 'role' : `${actx.subject.kind === 'user' ? actx.subject.roles.join('/') : 'peer'} may not ${policy.action} ${policy.resource}`,
        detail: { method: req.method },
      });
    } catch (e) {
      if (e instanceof AuditUnavailableError) throw new ServiceUnavailableException(e.message);
      throw e;
    }
    if (!allowed) throw new ForbiddenException(`${policy.action} on ${policy.resource} is not allowed for the roles ${(actx.subject.kind === 'user' ? actx.subject.roles : []).join(', ')}`);
    return true;
  }
}
