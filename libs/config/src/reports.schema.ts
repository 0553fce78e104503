import { z } from 'zod';
import { timeZoneSchema } from './time-zone';

/** Signed radiology reports (libs/reports): the document template and how dates are shown. */
export const reportsConfigSchema = z
  .object({
    /** Handlebars template of the report (`report.hbs`), relative to the working directory; validated at start-up. */
    templatesDir: z.string().min(1).default('config/reports'),
    /**
     * The time zone dates are printed in and DICOM Content Date/Time are expressed in. DICOM dates
     * carry no offset and modalities stamp local time, so the report's dates must be local too for
     * a viewer to sort them with the images; Europe/Paris is where the region's sites are.
     */
    timeZone: timeZoneSchema.default('Europe/Paris'),
  })
  .default({});

export type ReportsConfig = z.infer<typeof reportsConfigSchema>;
