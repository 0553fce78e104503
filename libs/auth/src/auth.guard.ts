import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticationError, NoHubRoleError } from './auth-errors';
import { Authenticator } from './authenticator';
import { bearerToken } from './bearer-token';
import { Principal } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { ROLES } from './roles.decorator';

export { TOKEN_COOKIE } from './bearer-token';

/** Turns an authentication failure into the HTTP answer: 401 with its message, 403 for no hub role. */
export function httpAuthError(e: unknown): Error {
  if (e instanceof AuthenticationError) return new UnauthorizedException(e.message);
  if (e instanceof NoHubRoleError) return new ForbiddenException(e.message);
  return e as Error;
}

/**
 * The single authentication point of the HTTP API: every route but those marked @Public needs a
 * bearer token (a static token or an OpenID Connect JWT, see Authenticator).
 */

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const token = bearerToken(req);
    if (!token) throw new UnauthorizedException('a bearer token is required (Authorization: Bearer <token>)');
    let principal: Principal;
    try {
      principal = await this.authenticator.authenticate(token);
    } catch (e) {
      throw httpAuthError(e);
    }
    req.principal = principal;
    // The audit names the door: DICOMweb read with the viewer's cookie is the viewer.
    req.authVia = /^Bearer\s/i.test(String(req.headers['authorization'] ?? '')) ? 'header' : 'cookie';
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES, targets);
    if (roles && !roles.some((r) => principal.roles.includes(r))) {
      throw new ForbiddenException(`requires one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
