import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Who is calling: the authorization model (roles, site, share grants) builds on this one type. */
export interface Principal {
  /** The user id: `users[].name` for a static token, the mapped user claim (`sub`) for an OIDC token. */
  readonly name: string;
  readonly roles: readonly string[];
  /** The first of `sites`, or null (kept for the callers that know one site). */
  readonly site: string | null;
  /** Every site the user works for (site ids of the configuration). */
  readonly sites: readonly string[];
  /** Reading pools a radiologist reads for. */
  readonly pools: readonly string[];
  /** `rpps:…` / `ins:…`: what exams are shared with this user (exam_access_grant.grantee). */
  readonly identifiers: readonly string[];
  /** How the caller proved it: `token` (a static token of `users:`) or the `id` of an OIDC issuer. */
  readonly authenticatedBy: string;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal);
