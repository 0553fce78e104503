import { z } from 'zod';

/** Electronic exam requests and their pathway (libs/pathway). */
export const requestsConfigSchema = z
  .object({
    /** The procedure catalogue (path from the working directory), validated at start-up. */
    procedureCatalogue: z.string().min(1).default('config/procedures.yaml'),
  })
  .default({});
