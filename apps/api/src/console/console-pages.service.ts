import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { AccessService } from '@krypton/access';
import type { Principal } from '@krypton/auth';
import { LOCALES, Locale } from './i18n/catalogue';
import { screensFor } from './console-screens';
import { ConsoleViews, ViewFrame } from './console-views.service';
import { ConsoleRequest, requestLocale, wantsFragment } from './console-request';

export interface PageOptions {
  /** Catalogue key of the page's title (the <title> and the <h1>). */
  readonly titleKey: string;
  readonly titleParams?: Record<string, unknown>;
  readonly status?: number;
  /** Render the whole page even for an htmx request (a form that replaces the page). */
  readonly full?: boolean;
}

/**
 * Renders console pages: the frame every page shares (language, the signed-in user, the screens
 * of their role for the navigation, the CSRF token for htmx) around a view. An htmx request gets
 * the view alone, to swap into the page it came from.
 */
@Injectable()
export class ConsolePages {
  constructor(
    readonly views: ConsoleViews,
    private readonly access: AccessService,
  ) {}

  frame(req: ConsoleRequest, principal: Principal | undefined = req.principal, titleKey = 'app.name', titleParams?: Record<string, unknown>): ViewFrame {
    const locale = requestLocale(req);
    const messages = this.views.catalogues[locale];
    const here = req.originalUrl || '/console';
    return {
      locale,
      messages,
      title: this.views.t({ messages }, titleKey, titleParams),
      csrfHeaders: JSON.stringify({ 'X-Krypton-CSRF': req.consoleCsrf ?? '' }),
      user: principal ? { name: principal.name, roles: principal.roles } : null,
      nav: principal ? screensFor(this.access.policy, principal).map((s) => ({ ...s, current: here.startsWith(s.path) })) : [],
      languages: LOCALES.map((l: Locale) => ({ code: l, current: l === locale, href: `/console/lang/${l}?returnTo=${encodeURIComponent(here)}` })),
    };
  }

  /** The view inside the layout (or alone for an htmx fragment request). */
  page(req: ConsoleRequest, res: Response, view: string, model: Record<string, unknown>, opts: PageOptions): void {
    const frame = this.frame(req, req.principal, opts.titleKey, opts.titleParams);
    const body = this.views.render(view, model, frame);
    const html = wantsFragment(req) && !opts.full ? body : this.views.render('layout', { body }, frame);
    this.send(res, html, opts.status);
  }

  /** One fragment for htmx to swap (a table's rows, a form with its errors). */
  fragment(req: ConsoleRequest, res: Response, view: string, model: Record<string, unknown>, status = 200): void {
    this.send(res, this.views.render(view, model, this.frame(req)), status);
  }

  private send(res: Response, html: string, status = 200): void {
    // Pages carry patient data: never kept by a shared cache or the browser's back-forward cache on a shared workstation.
    res.status(status).set({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' }).send(html);
  }
}
