import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED_HTTP_PATHS } from './logging.module';

describe('HTTP log redaction', () => {
  it('never writes the Authorization header, the cookie header or Set-Cookie', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = pino({ level: 'debug', redact: { paths: [...REDACTED_HTTP_PATHS], censor: '[redacted]' } }, sink);
    log.debug({
      req: { method: 'GET', url: '/dicomweb/studies', headers: { authorization: 'Bearer secret-1', cookie: 'krypton_token=secret-2', host: 'hub' } },
      res: { statusCode: 302, headers: { 'set-cookie': ['krypton_token=secret-3; HttpOnly'], location: '/' } },
    });
    const line = lines.join('');
    expect(line).not.toMatch(/secret-/);
    const entry = JSON.parse(line);
    expect(entry.req.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]', host: 'hub' });
    expect(entry.res.headers['set-cookie']).toBe('[redacted]');
  });
});
