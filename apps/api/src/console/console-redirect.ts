import type { Request, Response } from 'express';

/**
 * After an action, go to `url`: htmx follows an HX-Redirect header (a full page load), a plain
 * form post follows a 303. Either way the browser ends on a page that shows the new state.
 */
export function redirectAfterAction(req: Request, res: Response, url: string): void {
  if (req.headers['hx-request'] === 'true') {
    res.status(200).set('HX-Redirect', url).end();
    return;
  }
  res.redirect(303, url);
}
