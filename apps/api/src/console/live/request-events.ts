import { MessageEvent, NotAcceptableException } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { concatMap, filter, from, interval, map, merge, Observable } from 'rxjs';
import { accessContext, AccessService, requestFilter } from '@krypton/access';
import { RequestChanges } from './request-changes.service';

/** A comment line every 25 s keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 25_000;

/**
 * Server-sent events for one signed-in page: the id of each changed request the caller may see
 * (the list's own SQL scope, asked per change), `resync` after a lost connection, and keep-alives.
 * The page then reloads its list through the ordinary, audited route; the event itself carries
 * no patient data.
 */
export function visibleRequestEvents(changes: RequestChanges, access: AccessService, ds: DataSource, req: Request): Observable<MessageEvent> {
  // An endless stream only for a client that asks for one (EventSource does): another client
  // (a script, the role × route matrix test) gets an answer at once instead of an open connection.
  if (!String(req.headers['accept'] ?? '').includes('text/event-stream')) throw new NotAcceptableException('this route is a server-sent event stream: send Accept: text/event-stream');
  const scope = requestFilter(access.policy, accessContext(req).subject, 'search');
  const visible = async (id: string): Promise<boolean> => {
    if (scope === 'none') return false;
    if (scope === 'all') return true;
    let k = 0;
    const sql = scope.sql.replace(/\$/g, () => `$${++k + 1}`);
    const rows = await ds.query(`SELECT 1 FROM exam_request WHERE id = $1 AND ${sql}`, [id, ...scope.params]);
    return rows.length > 0;
  };
  const events = changes.stream().pipe(
    concatMap((c) =>
      'resync' in c
        ? from([{ type: 'resync', data: 'resync' }])
        : from(visible(c.id)).pipe(
            filter(Boolean),
            map(() => ({ type: 'request', data: c.id })),
          ),
    ),
  );
  const keepalive = interval(KEEPALIVE_MS).pipe(map(() => ({ type: 'ping', data: '' })));
  return merge(events, keepalive);
}
