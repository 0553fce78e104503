import type { KryptonConfig } from '@krypton/config';

/** The address patients and recipients open: `sharing.publicUrl`, else `http.publicUrl`, else this host's port. */
export function publicUrl(cfg: Pick<KryptonConfig, 'sharing' | 'http'>): string {
  const url = cfg.sharing.publicUrl ?? cfg.http.publicUrl ?? `${cfg.http.tls ? 'https' : 'http'}://127.0.0.1:${cfg.http.port}`;
  return url.replace(/\/+$/, '');
}
