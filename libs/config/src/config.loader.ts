import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ZodError } from 'zod';
import { configSchema, KryptonConfig, type WebDestination } from './config.schema';
import { ConfigError } from './config-error';

/**
 * Environment variables that override the YAML file. Each maps to one key path, so an operator can
 * read which variable wins from this table alone.
 */
export const ENV_OVERRIDES: Record<string, string[]> = {
  KRYPTON_ENV: ['environment'],
  HTTP_PORT: ['http', 'port'],
  PUBLIC_URL: ['http', 'publicUrl'],
  DICOM_PORT: ['dicom', 'port'],
  DICOM_AE_TITLE: ['dicom', 'aeTitle'],
  DICOM_DUPLICATE_POLICY: ['dicom', 'duplicatePolicy'],
  DICOM_MIN_FREE_SPACE_MB: ['dicom', 'minFreeSpaceMb'],
  DICOM_PROCESSES: ['dicom', 'processes'],
  HL7_PORT: ['hl7', 'port'],
  HL7_MAX_MESSAGE_BYTES: ['hl7', 'maxMessageBytes'],
  TEMPORAL_ADDRESS: ['temporal', 'address'],
  TEMPORAL_NAMESPACE: ['temporal', 'namespace'],
  TEMPORAL_TASK_QUEUE: ['temporal', 'taskQueue'],
  DATABASE_URL: ['database', 'url'],
  REDIS_URL: ['redis', 'url'],
  STORAGE_ROOT: ['storage', 'root'],
  AUDIT_SPOOL_DIR: ['audit', 'spoolDir'],
  ARCHIVE_ROOT: ['archive', 'tier', 'root'],
  STABLE_AFTER_SECONDS: ['ingest', 'stableAfterSeconds'],
  LOG_LEVEL: ['log', 'level'],
  KRYPTON_LOGIN_CLIENT_SECRET: ['auth', 'login', 'clientSecret'],
  // The first OpenID Connect issuer and the viewer's client (config/docker.yaml takes them from here).
  KRYPTON_OIDC_ISSUER: ['auth', 'issuers', '0', 'issuer'],
  KRYPTON_OIDC_AUDIENCE: ['auth', 'issuers', '0', 'audience'],
  KRYPTON_OIDC_JWKS_URI: ['auth', 'issuers', '0', 'jwksUri'],
  KRYPTON_OIDC_CLIENT_ID: ['auth', 'login', 'clientId'],
};

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.KRYPTON_CONFIG ?? 'config/krypton.yaml');
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((key, i) => {
    // A numeric next key is a list index (auth.issuers.0.issuer).
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = /^\d+$/.test(path[i + 1]) ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
  node[path[path.length - 1]] = value;
}

function describe(err: ZodError): string[] {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

/** Reads the YAML file, applies environment overrides and validates the result. */
export function loadConfig(path = defaultConfigPath(), env: NodeJS.ProcessEnv = process.env): KryptonConfig {
  let raw: Record<string, unknown> = {};
  if (existsSync(path)) {
    let doc: unknown;
    try {
      doc = parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new ConfigError('configuration file is not valid YAML', path, [String(e.message)]);
    }
    if (doc !== null && doc !== undefined) {
      if (typeof doc !== 'object' || Array.isArray(doc)) {
        throw new ConfigError('configuration file must be a mapping', path, ['(root): expected a mapping']);
      }
      raw = doc as Record<string, unknown>;
    }
  } else if (env.KRYPTON_CONFIG) {
    throw new ConfigError('configuration file not found', path, ['KRYPTON_CONFIG: file does not exist']);
  }
  for (const [name, keyPath] of Object.entries(ENV_OVERRIDES)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, keyPath, value);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError('invalid configuration', path, describe(parsed.error));
  return parsed.data;
}

/** The AEs the hub may send to (C-MOVE destinations, forwarding), by name. */
export function destinations(cfg: KryptonConfig) {
  return cfg.aes.filter((ae) => ae.host && ae.port).map((ae) => ({ ...ae, name: ae.name ?? ae.aeTitle, host: ae.host as string, port: ae.port as number }));
}

export type Destination = ReturnType<typeof destinations>[number];

export function findDestination(cfg: KryptonConfig, nameOrAeTitle: string): Destination | undefined {
  const all = destinations(cfg);
  return all.find((d) => d.name === nameOrAeTitle) ?? all.find((d) => d.aeTitle === nameOrAeTitle);
}

/** Where a routing or a send may go: a DIMSE AE (C-STORE), or a DICOMweb peer / another hub (STOW-RS). */
export type RoutingDestination = ({ readonly protocol: 'dimse' } & Destination) | ({ readonly protocol: 'stow'; readonly storageCommitment?: undefined } & WebDestination);

/** Every destination a routing may name (AEs with an address, then the web destinations). */
export function routingDestinations(cfg: KryptonConfig): RoutingDestination[] {
  return [...destinations(cfg).map((d) => ({ protocol: 'dimse' as const, ...d })), ...cfg.webDestinations.map((d) => ({ protocol: 'stow' as const, ...d }))];
}

export function findRoutingDestination(cfg: KryptonConfig, nameOrAeTitle: string): RoutingDestination | undefined {
  const web = cfg.webDestinations.find((d) => d.name === nameOrAeTitle);
  if (web) return { protocol: 'stow', ...web };
  const dest = findDestination(cfg, nameOrAeTitle);
  return dest ? { protocol: 'dimse', ...dest } : undefined;
}

/**
 * The Issuer of Patient ID a calling AE's bare Patient IDs belong to (`aes[].defaultIssuerOfPatientId`),
 * applied when its retrieve would otherwise be refused as ambiguous.
 */
export function defaultIssuerFor(cfg: KryptonConfig, callingAeTitle: string): string | undefined {
  return cfg.aes.find((ae) => ae.aeTitle === callingAeTitle && ae.defaultIssuerOfPatientId)?.defaultIssuerOfPatientId;
}
