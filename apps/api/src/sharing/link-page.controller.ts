import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public, TOKEN_COOKIE } from '@krypton/auth';
import { KRYPTON_CONFIG, KryptonConfig, SHARING_LOCALES, SharingLocale } from '@krypton/config';
import { LinkOpenRefusedError, PatientLinkService, SharingTemplates } from '@krypton/sharing';
import { OpenLinkDto } from './share.dto';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * What a patient link (or its QR code) opens: a page asking the second factor, then, answered,
 * the viewer with a session cookie good for that one exam. Public — the link and its answer are
 * the credentials — and decided and audited by PatientLinkService, not by a role.
 */
@ApiExcludeController()
@Public()
@Controller('l')
export class LinkPageController {
  constructor(
    private readonly links: PatientLinkService,
    private readonly templates: SharingTemplates,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
  ) {}

  @Get(':token')
  async page(@Param('token') token: string, @Query('lang') lang: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const locale = this.locale(req, lang);
    if (!TOKEN.test(token)) return this.render(res, locale, 404, { error: 'no such link' });
    try {
      const { secondFactor, refusal } = await this.links.describe(token);
      if (refusal) return this.render(res, locale, refusal.status, { error: refusal.message });
      this.render(res, locale, 200, { code: secondFactor === 'code' });
    } catch (e) {
      if (e instanceof LinkOpenRefusedError) return this.render(res, locale, e.status, { error: e.message });
      throw e;
    }
  }

  /** The answer, from the page's form (303 to the viewer) or from a script (JSON); either way the cookie. */
  @Post(':token')
  async open(@Param('token') token: string, @Body() body: OpenLinkDto, @Query('lang') lang: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const html = !!req.is('application/x-www-form-urlencoded');
    const locale = this.locale(req, lang);
    try {
      if (!TOKEN.test(token)) throw new LinkOpenRefusedError('no such link', 404);
      const opened = await this.links.open(token, body.answer, req.ip ?? null);
      res.cookie(TOKEN_COOKIE, opened.sessionToken, {
        httpOnly: true,
        sameSite: 'strict',
        secure: !!this.cfg.http.tls || (this.cfg.sharing.publicUrl ?? this.cfg.http.publicUrl ?? '').startsWith('https:'),
        path: '/',
        expires: opened.sessionExpiresAt,
      });
      if (html) return res.redirect(303, opened.viewerPath);
      res.status(200).json({ studyInstanceUid: opened.studyInstanceUid, viewerPath: opened.viewerPath, sessionExpiresAt: opened.sessionExpiresAt.toISOString() });
    } catch (e) {
      if (!(e instanceof LinkOpenRefusedError)) throw e;
      if (html) return this.render(res, locale, e.status, { error: e.message, code: e.status === 403 ? (await this.links.describe(token)).secondFactor === 'code' : false });
      res.status(e.status).json({ statusCode: e.status, message: e.message, ...(e.attemptsLeft !== null ? { attemptsLeft: e.attemptsLeft } : {}) });
    }
  }

  private render(res: Response, locale: SharingLocale, status: number, data: { error?: string; code?: boolean }): void {
    res
      .status(status)
      .type('html')
      .setHeader('cache-control', 'no-store')
      .setHeader('referrer-policy', 'no-referrer')
      .send(this.templates.page('link-page', locale, { error: data.error ?? null, code: !!data.code, form: !data.error || status === 403 }));
  }

  private locale(req: Request, lang: string | undefined): SharingLocale {
    if (lang && (SHARING_LOCALES as readonly string[]).includes(lang)) return lang as SharingLocale;
    return (req.acceptsLanguages([...SHARING_LOCALES]) || this.cfg.sharing.mail.locale) as SharingLocale;
  }
}
