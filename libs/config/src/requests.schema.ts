import { z } from 'zod';

/** Electronic exam requests and their pathway (libs/pathway). */
export const requestsConfigSchema = z
  .object({
    /** The procedure catalogue (path from the working directory), validated at start-up. */
    procedureCatalogue: z.string().min(1).default('config/procedures.yaml'),
    /**
     * Recent equivalent exams (same patient, same procedure family = modality and body part,
     * anywhere in the region) reported to the referrer when a request is submitted.
     */
    equivalentExams: z
      .object({
        /** How far back, in days. */
        windowDays: z.coerce.number().int().min(1).max(3650).default(90),
        /** A shorter or longer window for some modalities (e.g. DX: 30). */
        windowDaysByModality: z.record(z.string().regex(/^[A-Z]{2}$/, 'a DICOM modality'), z.coerce.number().int().min(1).max(3650)).default({}),
      })
      .default({}),
  })
  .default({});
