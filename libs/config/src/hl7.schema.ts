import { z } from 'zod';

/** The HL7 v2 gateway (MLLP listener). */
export const hl7ConfigSchema = z
  .object({
    /** 2575 is the port IANA registers for HL7 over MLLP. */
    port: z.coerce.number().int().min(1).max(65535).default(2575),
    /**
     * A frame larger than this is refused with AR naming the limit, without being held in memory.
     * 1 MiB is far above any order or ADT message; only a runaway sender or a message with an
     * embedded document reaches it.
     */
    maxMessageBytes: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
    /** Handlebars templates of outbound messages (ack.hbs, oru.hbs), relative to the working directory. */
    templatesDir: z.string().min(1).default('config/hl7'),
    /** MSH-3/MSH-4 of what the hub sends when the inbound message did not name a receiver. */
    application: z.string().min(1).default('KRYPTON'),
    facility: z.string().min(1).default('KRYPTON'),
  })
  .default({});

export type Hl7Config = z.infer<typeof hl7ConfigSchema>;
