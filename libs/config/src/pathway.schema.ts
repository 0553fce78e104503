import { z } from 'zod';

const minutes = z.coerce.number().min(0.01);

/**
 * The patient pathway's waits and deadlines (minutes) and where results go. Defaults follow what
 * French imaging departments commonly contract for tele-radiology: an emergency read within the
 * hour, an urgent one the same day, a routine one within three days.
 */
export const pathwayConfigSchema = z
  .object({
    acquisition: z
      .object({
        /**
         * Images arrived (study stable) but the modality sent no MPPS COMPLETED: many modalities never
         * send MPPS, so after this grace the pathway goes on and records the finding.
         */
        mppsGraceMinutes: minutes.default(30),
        /** MPPS COMPLETED but no images: after this, the pathway asks a coordinator (attach a study or cancel). */
        imagesGraceMinutes: minutes.default(120),
      })
      .default({}),
    dose: z
      .object({
        /** How long the pathway waits for the exam's dose data (RDSR or dose header) before recording it missing. */
        waitMinutes: minutes.default(60),
        /** How often it looks again meanwhile. */
        pollMinutes: minutes.default(5),
      })
      .default({}),
    reading: z
      .object({
        /** Reading deadline by priority, from the moment the reading task opens. */
        slaMinutes: z.object({ emergency: minutes.default(60), urgent: minutes.default(24 * 60), routine: minutes.default(72 * 60) }).default({}),
        /** The warning goes out when this fraction of the deadline has passed. */
        warnAtFraction: z.coerce.number().gt(0).lt(1).default(0.75),
        /** Reading pools; a site (or a procedure) names one, otherwise `defaultPool`. */
        pools: z
          .array(z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'), name: z.string().min(1) }))
          .default([{ id: 'regional-teleradiology', name: 'Regional tele-radiology pool' }]),
        defaultPool: z.string().default('regional-teleradiology'),
      })
      .default({}),
    /**
     * Relevant prior exams attached to a reading task (the patient's earlier studies, in the
     * catalogue and at the site PACS listed in `sources`). Relevance: the same modality (or one of
     * `relatedModalities`), the same body part when both are known, and no older than `maxAgeYears`
     * (per modality: `maxAgeYearsByModality`, e.g. MG: 10 for mammography screening).
     */
    priors: z
      .object({
        enabled: z.boolean().default(true),
        /** Names (or AE titles) of configured PACS AEs queried by C-FIND and fetched from by C-MOVE to the hub. */
        sources: z.array(z.string().min(1)).default([]),
        maxAgeYears: z.coerce.number().min(0.01).max(100).default(5),
        maxAgeYearsByModality: z.record(z.string().regex(/^[A-Z]{2}$/, 'a DICOM modality'), z.coerce.number().min(0.01).max(100)).default({}),
        /** Modalities that count as the same family for comparison, e.g. CT: [PT] (a PET-CT's CT). */
        relatedModalities: z.record(z.string().regex(/^[A-Z]{2}$/, 'a DICOM modality'), z.array(z.string().regex(/^[A-Z]{2}$/, 'a DICOM modality'))).default({}),
        /** A prior must show the same body part when both exams name one (a body part unknown on either side does not exclude). */
        sameBodyPart: z.boolean().default(true),
        /** At most this many priors per exam, most relevant (same modality and body part) and most recent first. */
        maxPriors: z.coerce.number().int().min(1).max(50).default(5),
        /** How long one C-MOVE from a site PACS may take before the attempt is abandoned and retried. */
        moveTimeoutSeconds: z.coerce.number().min(1).default(600),
      })
      .default({}),
    results: z
      .object({
        /**
         * Where ORU^R01 goes, by the request's placer system (the HL7 sending application, or the
         * `placerSystem` of a REST/FHIR request). A request from a system not listed gets no ORU; its
         * report is still available by REST.
         */
        destinations: z.array(z.object({ placerSystem: z.string().min(1), host: z.string().min(1), port: z.coerce.number().int().min(1).max(65535), facility: z.string().optional() })).default([]),
        /** Backoff between ORU attempts while the referrer's system does not answer AA. */
        retryInitialSeconds: z.coerce.number().min(0.1).default(30),
        retryMaxSeconds: z.coerce.number().min(0.1).default(1800),
        ackTimeoutSeconds: z.coerce.number().min(0.1).default(30),
      })
      .default({}),
  })
  .default({});

export type PathwayConfig = z.infer<typeof pathwayConfigSchema>;
