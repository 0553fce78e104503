import { Controller, Get, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Authenticator, bearerToken, Public } from '@krypton/auth';
import { LoginClient } from '../auth/login-client.service';
import { viewerDir } from './viewer-dir';

/**
 * The OHIF viewer's single-page routes. Its static files are served by express.static (see
 * bootstrap); these routes only return index.html for the paths the viewer routes itself.
 * The data it loads goes through DICOMweb and the auth guard. With sign-in configured
 * (`auth.login`), a browser without a valid token cookie is sent to sign in first and comes back
 * to the page it asked for.
 */
@ApiExcludeController()
@Controller()
export class ViewerController {
  constructor(
    private readonly login: LoginClient,
    private readonly authenticator: Authenticator,
  ) {}

  @Public()
  @Get(['', 'viewer', 'viewer/*path'])
  async index(@Req() req: Request, @Res() res: Response): Promise<void> {
    const index = join(viewerDir(), 'index.html');
    if (!existsSync(index)) throw new NotFoundException('the web viewer is not installed (scripts/lib.sh ensure_viewer)');
    if (this.login.enabled && !(await this.signedIn(req))) {
      res.redirect(302, `/auth/login?returnTo=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    res.sendFile(index);
  }

  private async signedIn(req: Request): Promise<boolean> {
    const token = bearerToken(req);
    if (!token) return false;
    return this.authenticator.authenticate(token).then(
      () => true,
      () => false,
    );
  }
}
