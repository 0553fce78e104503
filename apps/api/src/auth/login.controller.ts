import { BadRequestException, Controller, Get, Logger, NotFoundException, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Inject } from '@nestjs/common';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { Authenticator, cookieValue, httpAuthError, Public, TOKEN_COOKIE } from '@krypton/auth';
import { LoginClient, LoginError } from './login-client.service';

/** Binds a pending sign-in to the browser that started it (login CSRF): its state, for /auth only. */
const LOGIN_COOKIE = 'krypton_login';

/** Only a path of this origin: an open redirect would let a link send a signed-in user anywhere. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}

/**
 * The browser's sign-in (authorization code + PKCE through `auth.login`'s issuer). The callback
 * sets the viewer's `krypton_token` cookie to the access token, which the guard verifies on every
 * DICOMweb read like any bearer JWT. HttpOnly (scripts in the page never see it), SameSite=Lax
 * (sent on top-level navigation back from the identity provider), Secure under HTTPS.
 */
@ApiTags('sign-in')
@Controller('auth')
export class LoginController {
  private readonly log = new Logger('Login');

  constructor(
    private readonly client: LoginClient,
    private readonly authenticator: Authenticator,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
  ) {}

  @Public()
  @Get('login')
  @ApiOperation({ summary: 'Browser sign-in: redirects to the identity provider (authorization code + PKCE); back at /auth/callback the viewer cookie is set' })
  async start(@Req() req: Request, @Res() res: Response, @Query('returnTo') returnTo?: string): Promise<void> {
    this.ensureEnabled();
    const { url, state } = await this.client.start(`${this.base(req)}/auth/callback`, safeReturnTo(returnTo)).catch((e) => {
      throw new BadRequestException(`the identity provider could not be reached: ${e.message}`);
    });
    res.cookie(LOGIN_COOKIE, state, { httpOnly: true, sameSite: 'lax', secure: this.secure(req), path: '/auth', maxAge: 10 * 60_000 });
    res.redirect(302, url.href);
  }

  @Public()
  @Get('callback')
  @ApiExcludeEndpoint()
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.ensureEnabled();
    res.clearCookie(LOGIN_COOKIE, { path: '/auth' });
    let signedIn: Awaited<ReturnType<LoginClient['finish']>>;
    try {
      signedIn = await this.client.finish(cookieValue(req, LOGIN_COOKIE), new URL(req.originalUrl, this.base(req)));
    } catch (e) {
      if (e instanceof LoginError) throw new BadRequestException(e.message);
      throw new BadRequestException(`sign-in failed: ${e.message}`);
    }
    // The token must be one this api accepts (issuer listed, audience right), or the viewer would loop.
    const principal = await this.authenticator.authenticate(signedIn.accessToken).catch((e) => {
      throw httpAuthError(e);
    });
    this.log.debug(`signed in: ${principal.name} (${principal.roles.join(', ')}) via ${principal.authenticatedBy}`);
    res.cookie(TOKEN_COOKIE, signedIn.accessToken, { httpOnly: true, sameSite: 'lax', secure: this.secure(req), path: '/', maxAge: signedIn.expiresIn * 1000 });
    res.redirect(302, signedIn.returnTo);
  }

  @Public()
  @Get('logout')
  @ApiOperation({ summary: 'Clears the viewer cookie and ends the session at the identity provider' })
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.clearCookie(TOKEN_COOKIE, { path: '/' });
    const url = this.client.enabled ? await this.client.logoutUrl(`${this.base(req)}/`).catch(() => undefined) : undefined;
    if (url) res.redirect(302, url.href);
    else res.type('text/plain').send('signed out\n');
  }

  private ensureEnabled(): void {
    if (!this.client.enabled) throw new NotFoundException('sign-in is not configured (auth.login)');
  }

  private base(req: Request): string {
    return this.cfg.http.publicUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;
  }

  private secure(req: Request): boolean {
    return req.protocol === 'https' || (this.cfg.http.publicUrl?.startsWith('https:') ?? false);
  }
}
