import { z } from 'zod';

/** Quantities a threshold can watch, each in the unit its name states. */
export const DOSE_QUANTITIES = ['rpDose_Gy', 'dap_Gy_cm2', 'ctdiVol_mGy', 'dlp_mGy_cm', 'agd_mGy'] as const;
export type DoseQuantity = (typeof DOSE_QUANTITIES)[number];

export const doseThresholdSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    /** event: one irradiation event; exam: the study's totals; patient: the sum over windowDays. */
    scope: z.enum(['event', 'exam', 'patient']),
    quantity: z.enum(DOSE_QUANTITIES),
    value: z.number().positive(),
    /** CTDIvol only: the phantom the value refers to (notification values differ by phantom). */
    phantom: z.enum(['HEAD16', 'BODY32']).optional(),
    windowDays: z.number().int().min(1).max(3650).optional(),
    /** Where the value comes from; shown to the physicist beside the alert. */
    source: z.string().min(1),
  })
  .superRefine((t, ctx) => {
    if (t.scope === 'patient' && t.windowDays === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['windowDays'], message: 'a patient (cumulative) threshold needs windowDays' });
    }
    if (t.scope === 'patient' && t.quantity === 'ctdiVol_mGy') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['quantity'], message: 'CTDIvol does not add up over exams; use dlp_mGy_cm for a cumulative threshold' });
    }
    if (t.phantom && t.quantity !== 'ctdiVol_mGy') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['phantom'], message: 'phantom applies to ctdiVol_mGy only' });
    }
  });
export type DoseThreshold = z.infer<typeof doseThresholdSchema>;

/**
 * Published defaults; config/krypton.yaml repeats them so that an administrator sees and edits
 * them in one place. Cumulative (patient) rules have no published default and are left to sites.
 */
export const DEFAULT_DOSE_THRESHOLDS: DoseThreshold[] = [
  {
    id: 'fluoro-rp-air-kerma',
    scope: 'exam',
    quantity: 'rpDose_Gy',
    value: 5,
    source: 'NCRP Report No. 168 (2010) and SIR guidelines: substantial radiation dose level, reference-point air kerma 5 Gy',
  },
  { id: 'fluoro-dap', scope: 'exam', quantity: 'dap_Gy_cm2', value: 500, source: 'NCRP Report No. 168 (2010) and SIR guidelines: substantial radiation dose level, KAP 500 Gy·cm²' },
  {
    id: 'ct-ctdivol-head',
    scope: 'event',
    quantity: 'ctdiVol_mGy',
    phantom: 'HEAD16',
    value: 80,
    source: 'AAPM Dose Check notification values (NEMA XR-25), adult head, 16 cm phantom: CTDIvol 80 mGy',
  },
  {
    id: 'ct-ctdivol-body',
    scope: 'event',
    quantity: 'ctdiVol_mGy',
    phantom: 'BODY32',
    value: 50,
    source: 'AAPM Dose Check notification values (NEMA XR-25), adult torso, 32 cm phantom: CTDIvol 50 mGy',
  },
];

export const doseConfigSchema = z
  .object({
    /** Versioned NRD table and the protocol → NRD category mapping (paths from the working directory). */
    nrdTable: z.string().min(1).default('config/dose/nrd-fr-2019.yaml'),
    protocolMapping: z.string().min(1).default('config/dose/nrd-mapping.yaml'),
    /** Décision 2019-DC-0667: a dose evaluation covers at least 30 patients for most exams. */
    regulatoryMinPatients: z.coerce.number().int().min(1).default(30),
    /** An exam of a dose-producing modality with no dose data this long after arrival counts as missing. */
    exhaustivenessDelayHours: z.coerce.number().min(0).default(24),
    /** Rolling windows of the patient history's cumulative figures. */
    historyWindowsMonths: z.array(z.number().int().min(1).max(600)).min(1).default([12]),
    imageQuality: z
      .object({
        /** IEC 62494-1 deviation index: ±1 is about ±26 % of the target exposure. */
        underExposedDi: z.number().default(-1),
        overExposedDi: z.number().default(1),
      })
      .default({}),
    alerts: z
      .object({
        enabled: z.boolean().default(true),
        /** While an alert waits for its review or follow-up, the owners are reminded this often. */
        reminderEveryHours: z.coerce.number().min(0.001).default(48),
        thresholds: z.array(doseThresholdSchema).default(DEFAULT_DOSE_THRESHOLDS),
      })
      .default({}),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.alerts.thresholds.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['alerts', 'thresholds', i, 'id'], message: `duplicate threshold id "${t.id}"` });
      seen.add(t.id);
    });
    if (d.imageQuality.underExposedDi >= d.imageQuality.overExposedDi) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['imageQuality'], message: 'underExposedDi must be below overExposedDi' });
    }
  });
export type DoseConfig = z.infer<typeof doseConfigSchema>;
