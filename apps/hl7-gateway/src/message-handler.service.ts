import { AuditService } from '@krypton/audit';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import {
  AckRenderer,
  Hl7Charset,
  HL7_ERROR_CODES,
  Hl7Error,
  ParsedMessage,
  MshHeader,
  ackCodeFor,
  internalError,
  mapAdtMessage,
  mapOrderMessage,
  messageRole,
  parseHl7,
  peekHeader,
  resolveCharset,
  AlreadyAppliedError,
  Hl7MessageStore,
  MessageOutcome,
} from '@krypton/hl7';
import { ACK_RENDERER } from './ack-template.provider';
import { PATIENT_SINK, PatientSink } from './adt/patient-sink';
import { MllpFrame } from './mllp/mllp-framer';
import { ORDER_SINK, OrderSink } from './orders/order-sink';
import { SenderAllowlist } from './sender-allowlist';

/**
 * One inbound message from frame to ACK. The order of steps is the contract with senders:
 * journal the bytes, decide, record the outcome, and only then answer. A sender that got AA can
 * forget the message; one that got nothing (crash, disconnect) resends, and the journal makes the
 * resend harmless.
 */
@Injectable()
export class MessageHandler {
  private readonly senders: SenderAllowlist;

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(ACK_RENDERER) private readonly renderAck: AckRenderer,
    @Inject(ORDER_SINK) private readonly orders: OrderSink,
    @Inject(PATIENT_SINK) private readonly patients: PatientSink,
    private readonly journal: Hl7MessageStore,
    private readonly logger: PinoLogger,
    /** The HL7 door's audit (issue #10); absent in unit tests of the handler alone. */
    @Optional() private readonly audit?: AuditService,
  ) {
    logger.setContext('Hl7MessageHandler');
    this.senders = new SenderAllowlist(cfg.hl7.allowedSenders);
  }

  /**
   * Returns the ACK to send (unframed). Never throws: every failure is an AE or AR.
   * @param peer address:port, for the journal and logs; `address` is checked against hl7.allowedSenders.
   */
  async handle(frame: MllpFrame, peer: string, address?: string): Promise<Buffer> {
    const raw = frame.kind === 'message' ? frame.bytes : frame.head;
    const header = peekHeader(raw);
    let id: string;
    try {
      id = await this.journal.receive({ peer, header, raw, size: frame.kind === 'message' ? raw.length : frame.size, truncated: frame.kind === 'oversized' });
    } catch (e) {
      this.logger.error({ err: e.message, peer, controlId: header.controlId }, 'HL7 message could not be journaled; refused');
      // Not stored means not accepted: AR tells the sender to try again later.
      return this.ack(header, 'none', charsetOf(header), internalError());
    }

    let outcome: MessageOutcome;
    let charset = charsetOf(header);
    try {
      // Journaled first (a refused sender is on record), then refused before anything is parsed or applied.
      const refused = this.senders.check(header, address);
      if (refused) throw refused;
      if (frame.kind === 'oversized') throw tooBig(frame.size, this.cfg.hl7.maxMessageBytes);
      const msg = parseHl7(raw);
      charset = msg.charset.encoding;
      outcome = await this.process(msg);
    } catch (e) {
      outcome = this.failure(e, id, header);
    }

    try {
      await this.journal.finish(id, outcome);
    } catch (e) {
      if (e instanceof AlreadyAppliedError) {
        // Two receipts of one message raced; the other one applied it (idempotently, the same way).
        const first = await this.journal.findAccepted(header as MshHeader).catch(() => null);
        outcome = { status: 'duplicate', ackCode: 'AA', duplicateOf: first ?? undefined };
        await this.journal.finish(id, outcome).catch(() => undefined);
      } else {
        this.logger.error({ err: e.message, id }, 'HL7 message outcome could not be recorded; refused');
        return this.ack(header, id, charset, internalError());
      }
    }
    try {
      await this.audit?.record({
        userId: `hl7:${header.sendingApplication ?? ''}@${header.sendingFacility ?? ''}`,
        roles: ['hl7-sender'],
        site: null,
        action: 'write',
        outcome: outcome.ackCode === 'AA' ? 'allowed' : 'denied',
        door: 'HL7',
        resourceType: 'hl7-message',
        resourceId: id,
        reason: `${header.messageCode ?? '?'}: ${outcome.status}`,
        clientAddress: peer,
        detail: { controlId: header.controlId ?? null },
      });
    } catch (e) {
      // Applied but not audited: "send it again later"; the resend is answered as a duplicate.
      this.logger.error({ err: e.message, id }, 'HL7 message could not be audited; refused');
      return this.ack(header, id, charset, internalError());
    }
    this.logger.debug({ id, peer, type: header.messageCode, controlId: header.controlId, status: outcome.status, ack: outcome.ackCode }, 'HL7 message handled');
    return this.ack(header, id, charset, outcome.error, outcome.warnings);
  }

  /**
   * Applies the ADT messages that earlier gateways filed `pending` without applying them. They were
   * acknowledged AA, so the sender will not resend them: skipping them would lose a merge. Called
   * before the listener opens, so that they apply before anything newer. A message found wrong is
   * recorded `error` (its ACK stays what it was, AA); a failure on the hub side throws, so the
   * gateway does not start (its supervisor restarts it) and the rest stay `pending`.
   * @returns how many were applied.
   */
  async applyFiledAdt(): Promise<number> {
    let applied = 0;
    for (const row of await this.journal.filedAdt()) {
      let outcome: MessageOutcome;
      try {
        const adt = mapAdtMessage(parseHl7(row.raw));
        outcome = { status: 'applied', ackCode: 'AA', payload: { adt, result: await this.patients.apply(adt) } };
        applied++;
      } catch (e) {
        if (!(e instanceof Hl7Error)) throw e;
        this.logger.info({ id: row.id, code: e.code, where: e.where, err: e.message }, 'filed ADT message could not be applied');
        outcome = { status: 'error', ackCode: 'AA', error: e };
      }
      await this.journal.finish(row.id, outcome);
    }
    return applied;
  }

  private async process(msg: ParsedMessage): Promise<MessageOutcome> {
    const role = messageRole(msg.header);
    const first = await this.journal.findAccepted(msg.header);
    if (first) return { status: 'duplicate', ackCode: 'AA', duplicateOf: first };
    if (role === 'adt') {
      const adt = mapAdtMessage(msg);
      // Applied before the ACK, like orders: an AA means the hub's records already show the change.
      const result = await this.patients.apply(adt);
      return { status: 'applied', ackCode: 'AA', payload: { adt, result } };
    }
    // Mapped as a whole first: a bad later group fails the message before anything is created.
    const commands = mapOrderMessage(msg);
    const results: unknown[] = [];
    for (const c of commands) {
      if (c.kind === 'new') results.push({ group: c.group, action: 'new', placerOrderNumber: c.request.placerOrderNumber, ...(await this.orders.create(c.request)) });
      else if (c.kind === 'change') {
        const { kind: _kind, group, placerSystem, placerOrderNumber, ...change } = c;
        results.push({ group, action: 'change', placerOrderNumber, ...(await this.orders.change(placerSystem, placerOrderNumber, change)) });
      } else results.push({ group: c.group, action: 'cancel', placerOrderNumber: c.placerOrderNumber, ...(await this.orders.cancel(c.placerSystem, c.placerOrderNumber, c.reason)) });
    }
    const warnings = results.flatMap((r) => (r as { warnings?: string[] }).warnings ?? []);
    return { status: 'applied', ackCode: 'AA', payload: { orders: results }, ...(warnings.length ? { warnings } : {}) };
  }

  private failure(e: unknown, id: string, header: Partial<MshHeader>): MessageOutcome {
    if (e instanceof Hl7Error) {
      const ackCode = ackCodeFor(e);
      this.logger.info({ id, controlId: header.controlId, from: header.sendingApplication, code: e.code, where: e.where, err: e.message }, `HL7 message answered ${ackCode}`);
      return { status: ackCode === 'AR' ? 'rejected' : 'error', ackCode, error: e };
    }
    this.logger.error({ id, controlId: header.controlId, err: (e as Error)?.message ?? String(e) }, 'HL7 message failed on the hub side; refused for a resend');
    return { status: 'rejected', ackCode: 'AR', error: internalError() };
  }

  private ack(original: Partial<MshHeader>, id: string, encoding: Hl7Charset['encoding'], error: Hl7Error | undefined, warnings?: readonly string[]): Buffer {
    return this.renderAck({
      original,
      code: ackCodeFor(error),
      error,
      warnings,
      controlId: `KRYPTON-${id === 'none' ? Date.now().toString(36) : id}`,
      now: new Date(),
      self: { application: this.cfg.hl7.application, facility: this.cfg.hl7.facility },
      encoding,
    });
  }
}

function charsetOf(h: Partial<MshHeader>): Hl7Charset['encoding'] {
  try {
    return resolveCharset(h.characterSet ?? '').encoding;
  } catch {
    return 'utf-8';
  }
}

function tooBig(size: number, limit: number): Hl7Error {
  return new Hl7Error(HL7_ERROR_CODES.applicationInternal, `message of ${size} bytes exceeds the limit of ${limit} bytes (hl7.maxMessageBytes)`, undefined, true);
}
