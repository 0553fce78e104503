import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException, ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { IS_PUBLIC } from './public.decorator';
import { ROLES } from './roles.decorator';
import { TokenRegistry } from './token-registry';

/**
 * The single authentication point of the HTTP API: every route but those marked @Public needs a
 * bearer token. Authorization (site, share grants, patient links) plugs in here later.
 */
export const TOKEN_COOKIE = 'krypton_token';
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * The web viewer (OHIF, served by the api on the same origin) cannot add a header to its DICOMweb
 * requests, so the same token is also read from a cookie — for reads only: a request that
 * changes something must carry the header, which a cross-site form cannot forge.
 */
function tokenFromCookie(req: { method: string; headers: Record<string, string | undefined> }): string | undefined {
  if (!SAFE_METHODS.has(req.method)) return undefined;
  const cookie = req.headers['cookie'];
  if (!cookie) return undefined;
  for (const part of cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** Roles that see de-identified research data only. */
export const RESEARCH_ONLY_ROLES: readonly string[] = ['researcher', 'data-access-committee'];

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly registry: TokenRegistry;

  constructor(private readonly reflector: Reflector, @Inject(KRYPTON_CONFIG) cfg: KryptonConfig) {
    this.registry = new TokenRegistry(cfg.users);
  }

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const header: string | undefined = req.headers['authorization'];
    const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
    const token = match?.[1] ?? tokenFromCookie(req);
    if (!token) throw new UnauthorizedException('a bearer token is required (Authorization: Bearer <token>)');
    const principal = this.registry.resolve(token);
    if (!principal) throw new UnauthorizedException('unknown or revoked token');
    req.principal = principal;
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES, targets);
    if (roles && !roles.some((r) => principal.roles.includes(r))) {
      throw new ForbiddenException(`requires one of the roles: ${roles.join(', ')}`);
    }
    // Routes without @Roles serve any clinical user; research roles must never see identified
    // data, so they reach only the routes that name them.
    if (!roles && principal.roles.every((r) => RESEARCH_ONLY_ROLES.includes(r))) {
      throw new ForbiddenException(`the roles ${principal.roles.join(', ')} reach only the research routes`);
    }
    return true;
  }
}
