import { z } from 'zod';

/** Local time of day, "HH:MM", 00:00–23:59 (24:00 allowed as the end of a window). */
const timeOfDay = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:MM');
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const nonEmptyList = z.array(z.string().min(1)).min(1);

/** A regular expression kept as text in the document; checked at validation, compiled once per match. */
const pattern = z
  .string()
  .min(1)
  .superRefine((s, ctx) => {
    try {
      new RegExp(s, 'i');
    } catch (e) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not a regular expression: ${(e as Error).message}` });
    }
  });

export const timeWindowSchema = z
  .object({
    days: z.array(weekday).min(1).optional(),
    from: timeOfDay.default('00:00'),
    to: timeOfDay.default('24:00'),
    /** IANA zone the window is read in; the hub's DICOM time zone when absent. */
    timeZone: z.string().min(1).optional(),
  })
  .strict();

/** Every criterion present must hold; within a list, any value matches (case-insensitive). */
export const matchSchema = z
  .object({
    sourceSites: nonEmptyList.optional(),
    sourceAes: nonEmptyList.optional(),
    modalities: nonEmptyList.optional(),
    bodyParts: nonEmptyList.optional(),
    studyDescription: pattern.optional(),
    procedureCodes: nonEmptyList.optional(),
    priorities: z
      .array(z.enum(['routine', 'urgent', 'emergency']))
      .min(1)
      .optional(),
    timeWindow: timeWindowSchema.optional(),
  })
  .strict();

export const routeActionSchema = z.object({ destination: z.string().min(1) }).strict();
export const shareActionSchema = z
  .object({ site: z.string().min(1).optional(), pool: z.string().min(1).optional(), rights: z.enum(['view', 'download']).default('view') })
  .strict()
  .refine((s) => (s.site === undefined) !== (s.pool === undefined), { message: 'exactly one of site or pool' });

export const actionsSchema = z
  .object({
    route: z.array(routeActionSchema).default([]),
    share: z.array(shareActionSchema).default([]),
    fetchPriors: z.boolean().default(false),
  })
  .strict()
  .refine((a) => a.route.length + a.share.length > 0 || a.fetchPriors, { message: 'a rule needs at least one action' });

export const ruleSchema = z
  .object({
    name: z.string().min(1),
    /** A rule without match criteria applies to every study. */
    match: matchSchema.default({}),
    actions: actionsSchema,
    /** Later rules are still evaluated after this one unless it says stop. */
    stop: z.boolean().default(false),
  })
  .strict();

export const protocolSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes, at most 64'),
    name: z.string().min(1),
    description: z.string().optional(),
    rules: z.array(ruleSchema).min(1),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.rules.forEach((r, i) => {
      if (seen.has(r.name)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rules', i, 'name'], message: `duplicate rule name "${r.name}"` });
      seen.add(r.name);
      const w = r.match.timeWindow;
      if (w && w.from === w.to) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rules', i, 'match', 'timeWindow'], message: 'from and to are equal: an empty window' });
    });
  });

export type ProtocolDocument = z.infer<typeof protocolSchema>;
export type ProtocolRule = z.infer<typeof ruleSchema>;
export type ProtocolMatch = z.infer<typeof matchSchema>;
export type ProtocolActions = z.infer<typeof actionsSchema>;
export type TimeWindow = z.infer<typeof timeWindowSchema>;
export type Weekday = z.infer<typeof weekday>;
