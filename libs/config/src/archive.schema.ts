import { z } from 'zod';

/** A retention rule for a kind of document: the longest rule a study matches applies. */
export const retentionRuleSchema = z
  .object({
    /** Matches a study with a series of one of these modalities (e.g. MG, SR, DOC). */
    modalities: z.array(z.string().min(1)).optional(),
    /** Matches a study with an instance of one of these SOP classes (e.g. a dose SR, an encapsulated PDF). */
    sopClassUids: z.array(z.string().regex(/^[0-9.]+$/, 'a UID')).optional(),
    /** Keep the study this many years after its last access. */
    years: z.number().min(0),
  })
  .refine((r) => (r.modalities?.length ?? 0) + (r.sopClassUids?.length ?? 0) > 0, 'name modalities or sopClassUids');

/** How long a site's studies stay on fast storage and how long they are kept at all. */
export const archivePolicySchema = z.object({
  /** A site id, or "*" for studies of sites without a policy of their own (and STOW-RS, which has no calling AE). */
  site: z.string().min(1),
  /** Days without access after which the study's objects move to the archive tier; absent: never moved. */
  tierAfterDays: z.number().min(0).optional(),
  /** Years after the last access before the study may be deleted; absent: kept forever. */
  retainYears: z.number().min(0).optional(),
  /** Longer (or shorter) retention for some kinds of documents. */
  retention: z.array(retentionRuleSchema).default([]),
});

const s3Schema = z.object({
  endpoint: z.string().url().optional(),
  region: z.string().default('us-east-1'),
  bucket: z.string().min(3),
  /** Keys under this prefix (no leading slash). */
  prefix: z.string().default(''),
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  /** Path-style URLs (MinIO, moto, most on-premises S3 servers). */
  forcePathStyle: z.boolean().default(true),
});

/** Archive lifecycle (libs/archive): the second storage tier, per-site policies, compression. */
export const archiveConfigSchema = z
  .object({
    /** Off by default: no lifecycle workflow is started and reads never look at a second tier. */
    enabled: z.boolean().default(false),
    /** The second tier: a folder (another disk or mount) or an S3-compatible bucket. */
    tier: z
      .object({
        root: z.string().default('./data/archive'),
        s3: s3Schema.optional(),
      })
      .default({}),
    /** Lossless compression of native images on the archive tier (verified by decoding before the original is removed). */
    compression: z.enum(['jpeg-ls-lossless', 'none']).default('jpeg-ls-lossless'),
    /**
     * Reads are gathered in memory and written as last-access times at most this often, in one
     * statement (see the access recorder): a write per read would double the cost of a WADO call.
     */
    accessFlushSeconds: z.coerce.number().min(0.1).default(60),
    /** How often the worker starts lifecycle workflows for new studies and recalls for accessed ones. */
    sweepSeconds: z.coerce.number().min(0.1).default(30),
    policies: z.array(archivePolicySchema).default([]),
  })
  .default({});

export type ArchiveConfig = z.infer<typeof archiveConfigSchema>;
export type ArchivePolicy = z.infer<typeof archivePolicySchema>;
