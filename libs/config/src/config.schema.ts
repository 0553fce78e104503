import { z } from 'zod';
import { INS_ISSUERS } from '@krypton/patient-match';
import { doseConfigSchema } from './dose.schema';
import { hl7ConfigSchema } from './hl7.schema';
import { pathwayConfigSchema } from './pathway.schema';
import { requestsConfigSchema } from './requests.schema';
import { timeZoneSchema } from './time-zone';
import { reportsConfigSchema } from './reports.schema';
import { archiveConfigSchema } from './archive.schema';
import { authConfigSchema, hubRole } from './auth.schema';
import { DEMO_TOKEN_HASHES, isDemoPasswordHash } from './demo-secrets';
import { tlsSchema } from './tls.schema';
import { accessConfigSchema, auditConfigSchema } from './access.schema';
import { sharingConfigSchema } from './sharing.schema';

export * from './dose.schema';
export * from './hl7.schema';
export * from './pathway.schema';
export * from './requests.schema';
export * from './reports.schema';
export * from './archive.schema';
export * from './auth.schema';
export * from './tls.schema';
export * from './access.schema';
export * from './sharing.schema';

/** DICOM AE titles are at most 16 characters of the default repertoire, without backslash or control characters (PS3.5 6.2). */
const aeTitle = z
  .string()
  .trim()
  .min(1)
  .max(16)
  .regex(/^[\x20-\x5b\x5d-\x7e]+$/, 'must be printable ASCII without backslash');

const port = z.coerce.number().int().min(1).max(65535);

/**
 * An Issuer of Patient ID as DICOM carries it (LO: 64 characters, no backslash or control
 * characters). Not an INS authority: a site's local numbers are not INS.
 */
const issuerOfPatientId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  .regex(/^[^\\\x00-\x1f\x7f]+$/, 'must be at most 64 characters without backslash or control characters')
  .refine((v) => !INS_ISSUERS.includes(v), "an INS authority is not a site's patient numbering");

export const siteSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  name: z.string().min(1),
  finess: z
    .string()
    .regex(/^\d{9}$/, 'a FINESS number has 9 digits')
    .optional(),
  /** The reading pool of the site's own radiologists; without it the site's exams go to `pathway.reading.defaultPool`. */
  readingPool: z.string().optional(),
  /** Where shares with the site (or its FINESS organisation) are announced. */
  email: z.string().email().optional(),
});

export const remoteAeSchema = z.object({
  /** The name operators and the REST API use; defaults to the AE title. */
  name: z.string().min(1).optional(),
  aeTitle,
  site: z.string().min(1),
  /** Host and port make the AE a destination (C-MOVE, forwarding); an AE without them may only call us. */
  host: z.string().min(1).optional(),
  port: port.optional(),
  kind: z.enum(['modality', 'pacs', 'workstation', 'other']).default('modality'),
  /**
   * The Issuer of Patient ID of the AE's site (its patient numbering). When this AE retrieves
   * (C-MOVE, C-GET) by a Patient ID without an issuer that several issuers hold, this one is
   * applied instead of refusing the retrieve. Without it such a retrieve fails (0xA900).
   */
  defaultIssuerOfPatientId: issuerOfPatientId.optional(),
  /** Associations the hub opens to this destination at once (its routing queue's concurrency cap; 2 when absent). */
  maxAssociations: z.coerce.number().int().min(1).max(64).optional(),
  /**
   * Associations one study's routing uses at once (at most maxAssociations; 1 when absent, as a
   * direct storescu does). More can help only a destination whose storage takes parallel writes.
   */
  associationsPerStudy: z.coerce.number().int().min(1).max(64).optional(),
  /** Ask for storage commitment (N-ACTION) after a protocol routing, and call the copy delivered only once committed. */
  storageCommitment: z.boolean().optional(),
  /**
   * Where this AE may call from: IP addresses or CIDR blocks (IPv4 or IPv6). Absent: any address.
   * An association from elsewhere under this AE title is rejected (calling AE not recognised).
   */
  addresses: z
    .array(z.string().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'an IP address or a CIDR block such as 10.1.2.0/24'))
    .min(1)
    .optional(),
});

/**
 * A destination reached over HTTP rather than DIMSE: a DICOMweb peer (STOW-RS to `url` + /studies),
 * or another Krypton hub (its /dicomweb STOW-RS, authenticated with a bearer token). Routed and
 * queued like an AE destination (protocols, POST /studies/{uid}/send, its own task queue).
 */
const transferSyntaxUid = z.string().regex(/^[0-9]+(\.[0-9]+)*$/, 'a transfer syntax UID');

export const webDestinationSchema = z.object({
  name: z.string().min(1),
  /** Base URL of the DICOMweb service (Orthanc: http://host:8042/dicom-web; a Krypton hub: https://hub/dicomweb). */
  url: z.string().url(),
  kind: z.enum(['dicomweb', 'krypton-hub']).default('dicomweb'),
  site: z.string().min(1),
  /** Environment variable holding the bearer token sent to the peer (the configuration never holds the secret). */
  tokenEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')
    .optional(),
  /** Requests to this destination at once (its routing queue's concurrency cap; 2 when absent). */
  maxAssociations: z.coerce.number().int().min(1).max(64).optional(),
  /** Requests one study's routing makes at once (1 when absent). */
  associationsPerStudy: z.coerce.number().int().min(1).max(64).optional(),
  /** Instances per STOW-RS request (each request is one HTTP POST; its answer is recorded before the next). */
  instancesPerRequest: z.coerce.number().int().min(1).max(1000).default(50),
  /**
   * Transfer syntaxes the peer stores, in order of preference: a file in another one is transcoded
   * (losslessly, to the first of these the hub can write) before it is sent. Absent: files go as
   * stored, and only a part the peer refuses with Failure Reason 0xC122 is transcoded and sent again.
   */
  transferSyntaxes: z.array(transferSyntaxUid).min(1).optional(),
});

export const userSchema = z.object({
  name: z.string().min(1),
  roles: z.array(hubRole).min(1),
  /** The user's home site; `sites` adds others (a coordinator of several sites). */
  site: z.string().optional(),
  sites: z.array(z.string()).default([]),
  /** Reading pools a radiologist reads for. */
  pools: z.array(z.string()).default([]),
  /**
   * Who the user is to the exams shared with them: `rpps:<number>` for a referrer (matched against
   * the request's referrer), `ins:<INS>` for a patient.
   */
  identifiers: z.array(z.string().regex(/^(rpps|adeli|ins|local):.+$/, 'kind:value, kind one of rpps, adeli, ins, local')).default([]),
  /** Where shares with this user (by RPPS or by name) are announced. */
  email: z.string().email().optional(),
  /**
   * SHA-256 (hex) of a static bearer token: the configuration never holds a usable secret. Absent
   * for users who only sign in through an identity provider (`auth.issuers`).
   */
  tokenSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a 64-character lower-case hex SHA-256')
    .optional(),
});

export const configSchema = z
  .object({
    /**
     * `production` refuses the published demo secrets (static demo tokens, the development
     * identity provider and its demo password) at start-up. Environment variable KRYPTON_ENV.
     */
    environment: z.enum(['demo', 'development', 'production']).default('demo'),
    http: z
      .object({
        port: port.default(8080),
        publicUrl: z.string().url().optional(),
        /** HTTPS on `port` instead of HTTP. */
        tls: tlsSchema.optional(),
      })
      .default({}),
    dicom: z
      .object({
        port: port.default(11112),
        aeTitle: aeTitle.default('KRYPTON'),
        /** When true, any calling AE title is accepted (useful on an isolated network); false rejects unknown AEs at association. */
        acceptUnknownCallingAe: z.boolean().default(false),
        /** What a second copy of a SOP Instance UID does: keep the first (answer Success, discard) or replace the stored object. */
        duplicatePolicy: z.enum(['keep-first', 'replace']).default('keep-first'),
        maxPduLength: z.coerce.number().int().min(4096).max(4194304).default(262144),
        /**
         * Gateway processes sharing the DICOM port (Node cluster: the primary accepts connections
         * and hands each to a process in turn). One association is served by one process, so
         * parallel senders scale with this; 1 runs a single process. One by default: measured on
         * the 2-core reference host (bench:ingest, 2026-12-05), two processes and their cluster
         * primary held 601-625 MB against the 300 MB target (one process: about 242 MB), and four
         * parallel senders spread over two processes were no faster than one sender (31-38 against
         * 28-38 instances/s): the worker, the api and PostgreSQL share the same two cores. Raise
         * it on hosts with spare cores and memory.
         */
        processes: z.coerce.number().int().min(1).max(64).default(1),
        /** Associations served at once by each gateway process; beyond, A-ASSOCIATE-RJ transient, local limit exceeded. */
        maxAssociations: z.coerce.number().int().min(1).max(10000).default(64),
        /** ARTIM: how long a connection may wait before its A-ASSOCIATE-RQ, and a peer before closing after a reject or release. */
        artimTimeoutSeconds: z.coerce.number().min(0.1).max(3600).default(30),
        /** An accepted association with nothing sent either way for this long is aborted. */
        idleTimeoutSeconds: z.coerce.number().min(0.1).max(86400).default(120),
        /** A deflated data set may not inflate beyond this many megabytes (refused, not buffered). */
        maxInflatedMb: z.coerce.number().min(1).max(65536).default(1024),
        /** Sequences nested deeper than this are refused (0xC000 / STOW 0xC000 reason). */
        maxSequenceDepth: z.coerce.number().int().min(1).max(1000).default(32),
        /** Refuse new objects (0xA700) when free space on the storage volume falls below this many megabytes. */
        minFreeSpaceMb: z.coerce.number().int().min(0).default(512),
        /**
         * DICOM dates and times (DA, TM) carry no zone: the region's modalities read and write local
         * time. The worklist's dates and MPPS times are converted at the DICOM edge in this zone.
         */
        timeZone: timeZoneSchema.default('Europe/Paris'),
        /**
         * DICOM over TLS (PS3.15 Annex B) on a port of its own, 2762 by IANA, beside the plain
         * listener: modalities move to TLS one by one.
         */
        tls: tlsSchema.extend({ port: port.default(2762) }).optional(),
      })
      .default({}),
    temporal: z
      .object({
        address: z.string().default('127.0.0.1:7233'),
        namespace: z.string().default('default'),
        taskQueue: z.string().default('krypton'),
        /**
         * Workflows the worker keeps in memory (~300 KiB each). Pathways idle for days and are
         * replayed from history when they wake. The SDK default (2,310 on a 4 GiB heap) took the
         * worker past 1 GiB with 10,000 open pathways; 1,000 still peaked at 0.95–1.1 GiB during a
         * 1,000-pathway burst, 500 at 0.8 GiB, for some replay CPU (bench:pathway).
         */
        maxCachedWorkflows: z.coerce.number().int().min(10).max(100000).default(500),
      })
      .default({}),
    database: z.object({ url: z.string().default('postgres://postgres@127.0.0.1:5432/krypton') }).default({}),
    redis: z.object({ url: z.string().default('redis://127.0.0.1:6379') }).default({}),
    storage: z.object({ root: z.string().default('./data/storage') }).default({}),
    research: z
      .object({
        /** Where each research project's de-identified files, manifest and archive are written. */
        outputDir: z.string().default('./data/research'),
        /** Name of a configured AE (with host and port) that receives every delivery by C-STORE. */
        pacs: z.string().min(1).optional(),
      })
      .default({}),
    ingest: z
      .object({
        /** Quiet period after the last instance before a study counts as stable. */
        stableAfterSeconds: z.coerce.number().min(0).default(30),
        indexConcurrency: z.coerce.number().int().min(1).max(256).default(4),
        /** The index journal of the ingesting processes (local disk); `<storage.root>/.outbox` by default. */
        outboxDir: z.string().optional(),
        /** Stored objects not in the catalogue this long after their journal segment closed are handed to the indexer again. */
        redriveAfterSeconds: z.coerce.number().min(0.1).default(30),
        /** Beyond this many stored-but-unindexed objects in one process, new objects are refused (out of resources). */
        maxBacklog: z.coerce.number().int().min(1).default(100_000),
        /** Index, dose and acquisition jobs are retried without end; the delay between attempts grows to this ceiling. */
        retryMaxSeconds: z.coerce.number().min(0.1).default(30),
        /**
         * The transfer syntaxes STOW-RS stores: a part in another one is refused with Failure
         * Reason 0xC122 (Referenced Transfer Syntax not supported, PS3.18 10.5.3), so the sender
         * can transcode. Absent: every syntax the hub stores over DIMSE.
         */
        stowTransferSyntaxes: z.array(transferSyntaxUid).min(1).optional(),
      })
      .default({}),
    forwarding: z
      .object({
        /** Instances sent per activity; each activity is one association. */
        batchSize: z.coerce.number().int().min(1).max(10000).default(200),
        /** Backoff while a destination is unreachable: first delay, ceiling, and when to give up. */
        retryInitialSeconds: z.coerce.number().min(0.1).default(5),
        retryMaxSeconds: z.coerce.number().min(0.1).default(300),
        giveUpAfterHours: z.coerce.number().min(0.001).default(24),
      })
      .default({}),
    routing: z
      .object({
        /** Protocol documents imported at start when not stored yet (then edited through the API). */
        protocolsDir: z.string().default('config/protocols'),
        /** How long a protocol routing waits for the destination's N-EVENT-REPORT. */
        commitmentTimeoutSeconds: z.coerce.number().min(1).default(600),
        /** Upper bound of POST /protocols/simulate. */
        simulateMaxStudies: z.coerce.number().int().min(1).default(200000),
      })
      .default({}),
    dose: doseConfigSchema.default({}),
    hl7: hl7ConfigSchema,
    requests: requestsConfigSchema,
    pathway: pathwayConfigSchema,
    reports: reportsConfigSchema,
    archive: archiveConfigSchema,
    access: accessConfigSchema,
    audit: auditConfigSchema,
    sharing: sharingConfigSchema,
    log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).default({}),
    sites: z.array(siteSchema).default([]),
    aes: z.array(remoteAeSchema).default([]),
    webDestinations: z.array(webDestinationSchema).default([]),
    users: z.array(userSchema).default([]),
    auth: authConfigSchema,
  })
  .superRefine((cfg, ctx) => {
    const siteIds = new Set(cfg.sites.map((s) => s.id));
    const names = new Set<string>();
    cfg.aes.forEach((ae, i) => {
      if (!siteIds.has(ae.site)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['aes', i, 'site'], message: `unknown site "${ae.site}"` });
      }
      const name = ae.name ?? ae.aeTitle;
      if (names.has(name)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['aes', i, 'name'], message: `duplicate AE name "${name}"` });
      }
      names.add(name);
      const issuers = new Set(cfg.aes.filter((o) => o.aeTitle === ae.aeTitle && o.defaultIssuerOfPatientId).map((o) => o.defaultIssuerOfPatientId));
      if (ae.defaultIssuerOfPatientId && issuers.size > 1) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['aes', i, 'defaultIssuerOfPatientId'],
          message: `AE title ${ae.aeTitle} is given different default issuers: ${[...issuers].join(', ')}`,
        });
      }
      if ((ae.host === undefined) !== (ae.port === undefined)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['aes', i], message: 'host and port go together' });
      }
    });
    const pools = new Set(cfg.pathway.reading.pools.map((p) => p.id));
    if (!pools.has(cfg.pathway.reading.defaultPool)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['pathway', 'reading', 'defaultPool'], message: `unknown reading pool "${cfg.pathway.reading.defaultPool}"` });
    }
    cfg.sites.forEach((s, i) => {
      if (s.readingPool && !pools.has(s.readingPool)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['sites', i, 'readingPool'], message: `unknown reading pool "${s.readingPool}"` });
      }
    });
    cfg.webDestinations.forEach((d, i) => {
      if (!siteIds.has(d.site)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['webDestinations', i, 'site'], message: `unknown site "${d.site}"` });
      if (names.has(d.name)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['webDestinations', i, 'name'], message: `duplicate destination name "${d.name}"` });
      names.add(d.name);
    });
    cfg.pathway.priors.sources.forEach((name, i) => {
      const ae = cfg.aes.find((a) => (a.name ?? a.aeTitle) === name || a.aeTitle === name);
      if (!ae || ae.host === undefined) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['pathway', 'priors', 'sources', i], message: `"${name}" is not a configured AE with host and port (aes[])` });
      }
    });
    cfg.archive.policies.forEach((p, i) => {
      if (p.site !== '*' && !siteIds.has(p.site)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['archive', 'policies', i, 'site'], message: `unknown site "${p.site}"` });
    });
    const issuerIds = new Set(cfg.auth.issuers.map((s) => s.id));
    if (cfg.auth.login && !issuerIds.has(cfg.auth.login.issuer)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['auth', 'login', 'issuer'], message: `unknown issuer "${cfg.auth.login.issuer}" (auth.issuers[].id)` });
    }
    // `actsAs` naming a configured user is checked by the dev identity provider itself (apps/idp):
    // no other process uses it, and none should refuse to start over it.
    cfg.auth.devIdp?.clients.forEach((c, i) => {
      if (c.grantTypes.includes('client_credentials') && !c.actsAs)
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['auth', 'devIdp', 'clients', i, 'actsAs'], message: 'required with client_credentials' });
    });
    if (cfg.environment === 'production') {
      // The README publishes these: anyone could use them.
      cfg.users.forEach((u, i) => {
        if (u.tokenSha256 && DEMO_TOKEN_HASHES.has(u.tokenSha256)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['users', i, 'tokenSha256'], message: 'is the hash of a published demo token: refused in production' });
        }
      });
      if (cfg.auth.devIdp) {
        const demoPassword = isDemoPasswordHash(cfg.auth.devIdp.passwordHash);
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['auth', 'devIdp', ...(demoPassword ? ['passwordHash'] : [])],
          message: demoPassword ? 'is the hash of the published demo password: refused in production' : 'the development identity provider may not run in production',
        });
      }
    }
    cfg.users.forEach((u, i) => {
      u.pools.forEach((p, j) => {
        if (!pools.has(p)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['users', i, 'pools', j], message: `unknown reading pool "${p}"` });
      });
      if (u.site && !siteIds.has(u.site)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['users', i, 'site'], message: `unknown site "${u.site}"` });
      }
      u.sites.forEach((s, j) => {
        if (!siteIds.has(s)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['users', i, 'sites', j], message: `unknown site "${s}"` });
      });
    });
  });

export type KryptonConfig = z.infer<typeof configSchema>;
export type RemoteAe = z.infer<typeof remoteAeSchema> & { name: string };
export type WebDestination = z.infer<typeof webDestinationSchema>;
export type SiteConfig = z.infer<typeof siteSchema>;
export type UserConfig = z.infer<typeof userSchema>;
