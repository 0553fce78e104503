import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config-error';

/** A TLS listener's files (PEM paths, relative to the working directory). */
export const tlsSchema = z.object({
  cert: z.string().min(1),
  key: z.string().min(1),
  /** CA bundle that client certificates must chain to (with requireClientCert). */
  ca: z.string().min(1).optional(),
  /** Mutual TLS: a peer without a certificate signed by `ca` is refused during the handshake. */
  requireClientCert: z.boolean().default(false),
});
export type TlsConfig = z.infer<typeof tlsSchema>;

export interface TlsServerOptions {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly ca?: Buffer;
  readonly requestCert: boolean;
  readonly rejectUnauthorized: boolean;
  readonly minVersion: 'TLSv1.2';
}

/**
 * Reads a listener's PEM files at start-up: a missing or unreadable file stops the process with
 * the key that names it, rather than failing the first handshake. TLS 1.2 is the floor (BCP 195,
 * and what DICOM's BCP 195 profiles and dcmtk's default accept).
 */
export function tlsServerOptions(tls: TlsConfig, key: string): TlsServerOptions {
  const read = (field: 'cert' | 'key' | 'ca', path: string) => {
    try {
      return readFileSync(path);
    } catch (e) {
      throw new ConfigError('TLS file unreadable', path, [`${key}.${field}: ${e.message}`]);
    }
  };
  if (tls.requireClientCert && !tls.ca) throw new ConfigError('invalid configuration', key, [`${key}.ca: required with requireClientCert`]);
  return {
    cert: read('cert', tls.cert),
    key: read('key', tls.key),
    ...(tls.ca ? { ca: read('ca', tls.ca) } : {}),
    requestCert: tls.requireClientCert,
    rejectUnauthorized: tls.requireClientCert,
    minVersion: 'TLSv1.2',
  };
}
