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
    if (!match) throw new UnauthorizedException('a bearer token is required (Authorization: Bearer <token>)');
    const principal = this.registry.resolve(match[1]);
    if (!principal) throw new UnauthorizedException('unknown or revoked token');
    req.principal = principal;
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES, targets);
    if (roles && !roles.some((r) => principal.roles.includes(r))) {
      throw new ForbiddenException(`requires one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
