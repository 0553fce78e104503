import { Controller, Get, NotFoundException, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AccessService } from '@krypton/access';
import { Authenticator, bearerToken, Principal, Public } from '@krypton/auth';
import { LOCALES } from './i18n/catalogue';
import { screensFor } from './console-screens';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsolePages } from './console-pages.service';
import { ConsoleRequest, consoleReturnTo, LANG_COOKIE } from './console-request';

/** A file next to a package's main file: Chart.js and its plugins do not export their UMD builds by path. */
const beside = (pkg: string, file: string) => join(dirname(require.resolve(pkg)), file);

/** Files the console's pages load, read once: htmx from its npm package (browsers here have no internet), the style sheet. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'htmx.min.js': { file: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'console.css': { file: join(__dirname, 'assets/console.css'), type: 'text/css; charset=utf-8' },
  'console.js': { file: join(__dirname, 'assets/console.js'), type: 'text/javascript; charset=utf-8' },
  // The physicist's plots: Chart.js, its box plot controller and its annotation plugin (the NRD line), UMD builds.
  'chart.umd.min.js': { file: beside('chart.js', 'chart.umd.min.js'), type: 'text/javascript; charset=utf-8' },
  'chartjs-chart-boxplot.min.js': { file: beside('@sgratzl/chartjs-chart-boxplot', 'index.umd.min.js'), type: 'text/javascript; charset=utf-8' },
  'chartjs-plugin-annotation.min.js': { file: beside('chartjs-plugin-annotation', 'chartjs-plugin-annotation.min.js'), type: 'text/javascript; charset=utf-8' },
  'console-roles.css': { file: join(__dirname, 'assets/console-roles.css'), type: 'text/css; charset=utf-8' },
  'console-charts.js': { file: join(__dirname, 'assets/console-charts.js'), type: 'text/javascript; charset=utf-8' },
};
const assetCache = new Map<string, Buffer>();

/**
 * The console's entry: the home page (the screens the caller's roles may use, from the decision
 * point), the language switch and the static assets. The home page carries no patient data, so it
 * authenticates the sign-in cookie itself (like the viewer's index) to send a stranger to sign in
 * rather than answer 401.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleHomeController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly access: AccessService,
    private readonly authenticator: Authenticator,
  ) {}

  @Public()
  @Get()
  async home(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const principal = await this.signedIn(req);
    if (!principal) {
      res.redirect(302, `/auth/login?returnTo=${encodeURIComponent('/console')}`);
      return;
    }
    req.principal = principal;
    const screens = screensFor(this.access.policy, principal);
    const areas = [...new Set(screens.map((s) => s.area))].map((area) => ({ area, screens: screens.filter((s) => s.area === area) }));
    const roles = principal.roles.map((r) => this.pages.views.t(this.pages.frame(req), `role.${r}`)).join(', ');
    this.pages.page(req, res, 'home/home', { areas, empty: screens.length === 0, roles }, { titleKey: 'home.title' });
  }

  @Public()
  @Get('lang/:locale')
  lang(@Param('locale') locale: string, @Query('returnTo') returnTo: string | undefined, @Req() req: ConsoleRequest, @Res() res: Response): void {
    if (!(LOCALES as readonly string[]).includes(locale)) throw new NotFoundException(`no language ${locale}: ${LOCALES.join(', ')}`);
    res.cookie(LANG_COOKIE, locale, { httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https', path: '/', maxAge: 365 * 24 * 3600_000 });
    res.redirect(303, consoleReturnTo(returnTo));
  }

  @Public()
  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    const asset = ASSETS[name];
    if (!asset) throw new NotFoundException(`no console asset ${name}`);
    let body = assetCache.get(name);
    if (!body) assetCache.set(name, (body = readFileSync(asset.file)));
    res.set({ 'content-type': asset.type, 'cache-control': 'public, max-age=3600' }).send(body);
  }

  private async signedIn(req: ConsoleRequest): Promise<Principal | undefined> {
    const token = bearerToken(req);
    if (!token) return undefined;
    return this.authenticator.authenticate(token).catch(() => undefined);
  }
}
