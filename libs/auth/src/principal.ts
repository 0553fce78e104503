import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Who is calling: the authorization model (roles, site, share grants) builds on this one type. */
export interface Principal {
  readonly name: string;
  readonly roles: readonly string[];
  readonly site: string | null;
  /** Reading pools a radiologist reads for. */
  readonly pools: readonly string[];
  /** `rpps:…` / `ins:…`: what exams are shared with this user (exam_access_grant.grantee). */
  readonly identifiers: readonly string[];
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal);
