import { z } from 'zod';

/**
 * The SMTP relay that carries share notifications and patient-link codes. The password is never
 * in the YAML: `passwordEnv` names the environment variable that holds it.
 */
export const smtpSchema = z
  .object({
    host: z.string().min(1),
    port: z.coerce.number().int().min(1).max(65535).default(25),
    /** TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when the relay offers it. */
    secure: z.boolean().default(false),
    /** Refuse to send unless the relay upgrades the connection with STARTTLS. */
    requireTls: z.boolean().default(false),
    user: z.string().min(1).optional(),
    passwordEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')
      .optional(),
    /** Seconds to wait for the relay (connection, greeting, each command). */
    timeoutSeconds: z.coerce.number().min(1).max(600).default(30),
  })
  .strict()
  .refine((s) => !s.user || !!s.passwordEnv, { message: 'user needs passwordEnv (the variable holding the password)', path: ['passwordEnv'] });

export const SHARING_LOCALES = ['fr', 'en'] as const;
export type SharingLocale = (typeof SHARING_LOCALES)[number];

/** Sharing with professionals and patients (issue #11). */
export const sharingConfigSchema = z
  .object({
    /** The address recipients and patients open (links in e-mails and QR codes); defaults to http.publicUrl. */
    publicUrl: z.string().url().optional(),
    /** Longest a share may last; a share without expiresAt lasts this long. */
    maxShareDays: z.coerce.number().int().min(1).max(3650).default(365),
    links: z
      .object({
        /** A patient link lasts this long unless the request says less. */
        defaultDays: z.coerce.number().int().min(1).max(365).default(30),
        maxDays: z.coerce.number().int().min(1).max(365).default(90),
        /** Wrong second factors before the link is locked (then only a new link helps). */
        maxAttempts: z.coerce.number().int().min(1).max(20).default(5),
        /** How long an opened link's viewer session lasts (never beyond the link). */
        sessionMinutes: z.coerce
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(60),
      })
      .strict()
      .default({}),
    mail: z
      .object({
        /** Without a relay, shares are made and their notification is recorded as not sent (no relay). */
        smtp: smtpSchema.optional(),
        from: z.string().min(3).default('Krypton <no-reply@krypton.invalid>'),
        /** The language of notifications (templates `<name>.<locale>.hbs`). */
        locale: z.enum(SHARING_LOCALES).default('fr'),
        /** Handlebars templates: share-notification.<locale>.hbs, link-code.<locale>.hbs (subject on the first line). */
        templatesDir: z.string().default('config/sharing'),
        /**
         * A notification the relay does not take is tried again, doubling from `initialSeconds` up
         * to `maxSeconds`, until `giveUpAfterHours`; then it stays failed on the share (and in the
         * queue's failed set) until someone asks to send it again (POST /shares/{id}/notify).
         */
        retry: z
          .object({
            initialSeconds: z.coerce.number().min(0.1).default(5),
            maxSeconds: z.coerce.number().min(0.1).default(900),
            giveUpAfterHours: z.coerce.number().min(0.001).default(72),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
  })
  .strict()
  .default({})
  .refine((s) => s.links.defaultDays <= s.links.maxDays, { message: 'links.defaultDays may not exceed links.maxDays', path: ['links', 'defaultDays'] });

export type SmtpConfig = z.infer<typeof smtpSchema>;
export type SharingConfig = z.infer<typeof sharingConfigSchema>;
