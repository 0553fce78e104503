import { isIP } from 'node:net';
import { z } from 'zod';
import { tlsSchema } from './tls.schema';

const addressOrSubnet = z.string().refine((s) => {
  const [ip, bits, extra] = s.split('/');
  const family = isIP(ip);
  if (!family || extra !== undefined) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}, 'an IP address or a subnet (10.1.0.0/16)');

/**
 * One system allowed to send: every criterion given must match (MSH-3 namespace id, MSH-4
 * namespace id, source address). With no entry at all, any sender is accepted (the demo).
 */
export const hl7SenderSchema = z
  .object({
    application: z.string().min(1).optional(),
    facility: z.string().min(1).optional(),
    addresses: z.array(addressOrSubnet).min(1).optional(),
  })
  .refine((s) => s.application || s.facility || s.addresses, 'name an application, a facility or addresses');
export type Hl7SenderConfig = z.infer<typeof hl7SenderSchema>;

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
    maxMessageBytes: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    /** Handlebars templates of outbound messages (ack.hbs, oru.hbs), relative to the working directory. */
    templatesDir: z.string().min(1).default('config/hl7'),
    /** MSH-3/MSH-4 of what the hub sends when the inbound message did not name a receiver. */
    application: z.string().min(1).default('KRYPTON'),
    facility: z.string().min(1).default('KRYPTON'),
    /** Who may send; a refused sender gets AR naming MSH-3, MSH-4 or its address. Empty: anyone. */
    allowedSenders: z.array(hl7SenderSchema).default([]),
    /** MLLP over TLS on a port of its own, beside the plain listener. */
    tls: tlsSchema.extend({ port: z.coerce.number().int().min(1).max(65535) }).optional(),
  })
  .default({});

export type Hl7Config = z.infer<typeof hl7ConfigSchema>;
