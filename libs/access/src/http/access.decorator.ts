import { SetMetadata } from '@nestjs/common';
import type { AccessAction, ResourceType } from '@krypton/config';

export const ACCESS_POLICY = 'krypton:access';

export interface RoutePolicy {
  readonly resource: ResourceType;
  readonly action: AccessAction;
  /**
   * True when the handler decides on the instance (an exam by its UID or request id, a patient's
   * dose history, audit records) or filters a search in SQL, and writes the audit record itself.
   * Otherwise the guard's role-level decision is the whole decision and the guard audits it.
   */
  readonly instance: boolean;
}

/**
 * Every route declares what it touches: the guard refuses a route without one (fail closed) and
 * the role × route matrix test fails for it.
 *
 * @example
 *   @Access('study', 'read-pixels', { instance: true })
 *   @Get('studies/:study/series/:series/instances/:instance/frames/:frames')
 */
export const Access = (resource: ResourceType, action: AccessAction, opts: { instance?: boolean } = {}) =>
  SetMetadata(ACCESS_POLICY, { resource, action, instance: opts.instance ?? false } satisfies RoutePolicy);
