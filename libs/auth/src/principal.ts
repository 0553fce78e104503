import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Who is calling: the authorization model (roles, site, share grants) builds on this one type. */
export interface Principal {
  readonly name: string;
  readonly roles: readonly string[];
  readonly site: string | null;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal);
