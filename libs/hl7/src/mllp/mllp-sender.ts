import { Hl7Message, OperationOutcomeError } from '@medplum/core';
import { Hl7Client, Hl7Connection, Hl7ErrorEvent, Hl7MessageEvent } from '@medplum/hl7';
import { Hl7Charset, declaredCharset, resolveCharset } from '../charset';
import { unescapeValue } from '../escape';
import { MllpAckMismatchError, MllpConnectError, MllpConnectionRefusedError, MllpPeerClosedError, MllpTarget, MllpTimeoutError } from './mllp-errors';

/** MSA-1: original mode (AA/AE/AR) or, from a receiver in enhanced mode, a commit ACK (CA/CE/CR). */
export type MllpAckCode = 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR';

/** The receiver's ACK of one message. */
export interface MllpAck {
  readonly code: MllpAckCode;
  /** MSA-2: always the MSH-10 sent (anything else is an MllpAckMismatchError). */
  readonly controlId: string;
  /** MSA-3, else ERR-8: what the receiver says about an AE/AR, for the log and the coordinator. */
  readonly text: string;
  /** ERR-3.1 when the receiver sent one (table 0357 code, e.g. 207). */
  readonly errorCode?: string;
  /** The ACK as received, segments separated by CR. */
  readonly raw: string;
}

export interface SendMllpOptions {
  /**
   * For the whole exchange, connecting included. 30 s by default: an interface engine that
   * acknowledges after a database write answers in well under a second; one that takes longer is
   * stuck, and the caller's retry (same MSH-10) is the remedy.
   */
  readonly timeoutMs?: number;
}

const ACK_CODES: readonly string[] = ['AA', 'AE', 'AR', 'CA', 'CE', 'CR'];

/**
 * Sends one HL7 v2 message over MLLP on a connection of its own and returns the receiver's ACK.
 * An AE or AR is an answer, returned; a message whose fate is unknown throws one of the
 * MllpSendError kinds, and the caller sends it again with the same MSH-10.
 *
 * The bytes are encoded in the character set the message's MSH-18 declares (UTF-8 when absent),
 * framed and written by @medplum/hl7's Hl7Client. The ACK is matched here rather than with
 * `sendAndWait`, which ignores an ACK naming another MSA-2 (it would wait until the timeout) and
 * does not notice a receiver that closes the connection.
 *
 * One connection per message: reports leave one at a time per request and receivers differ in
 * how they treat idle connections; a kept connection would trade that uncertainty for a handshake.
 *
 * @example
 *   const ack = await sendMllp('ris.chu-nord.local', 2575, buildOruR01(input, { template }), { timeoutMs: 30_000 });
 *   if (ack.code !== 'AA' && ack.code !== 'CA') throw ApplicationFailure.create({ message: ack.text });
 */
export async function sendMllp(host: string, port: number, message: string, options: SendMllpOptions = {}): Promise<MllpAck> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const outbound = Hl7Message.parse(message);
  const target: MllpTarget = { host, port, controlId: outbound.getSegment('MSH')?.getField(10)?.toString() ?? '' };
  const encoding = resolveCharset(declaredCharset(Buffer.from(message, 'latin1'))).encoding;
  // connectTimeout 0: the deadline below covers connecting and waiting alike.
  const client = new Hl7Client({ host, port, encoding, connectTimeout: 0 });
  let stage: 'connect' | 'ack' = 'connect';
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MllpTimeoutError(target, timeoutMs, stage)), timeoutMs);
  });
  try {
    const connection = await Promise.race([client.connect().catch((e) => Promise.reject(connectError(target, e))), deadline]);
    stage = 'ack';
    // The ACK is awaited by this side: Nagle's delay would sit on the frame.
    connection.socket.setNoDelay(true);
    return await Promise.race([exchange(connection, outbound, target, encoding), deadline]);
  } finally {
    clearTimeout(timer);
    await client.close().catch(() => undefined);
  }
}

function exchange(connection: Hl7Connection, outbound: Hl7Message, target: MllpTarget, encoding: Hl7Charset['encoding']): Promise<MllpAck> {
  return new Promise<MllpAck>((resolve, reject) => {
    connection.addEventListener('message', (e: Hl7MessageEvent) => {
      const ack = readAck(e.message, encoding);
      if (ack && ack.controlId === target.controlId) resolve(ack);
      else reject(new MllpAckMismatchError(target, ack?.controlId ?? null, e.message.toString()));
    });
    connection.addEventListener('error', (e: Hl7ErrorEvent) => {
      // The library reports an ACK for an unknown control id as an OperationOutcomeError; the
      // message listener above has the ACK itself and decides. Socket errors carry a code.
      if (e.error instanceof OperationOutcomeError) return;
      const code = (e.error as NodeJS.ErrnoException).code;
      reject(code ? new MllpPeerClosedError(target, e.error) : new MllpAckMismatchError(target, null, null, e.error));
    });
    connection.addEventListener('close', () => reject(new MllpPeerClosedError(target)));
    connection.send(outbound);
  });
}

function readAck(m: Hl7Message, encoding: Hl7Charset['encoding']): MllpAck | undefined {
  const msa = m.getSegment('MSA');
  const code = msa?.getField(1)?.toString().trim().toUpperCase() ?? '';
  if (!msa || !ACK_CODES.includes(code)) return undefined;
  const err = m.getSegment('ERR');
  return {
    code: code as MllpAckCode,
    controlId: msa.getField(2)?.toString() ?? '',
    text: unescapeValue(msa.getField(3)?.toString() || err?.getField(8)?.toString() || '', m.context, encoding),
    errorCode: err?.getComponent(3, 1) || undefined,
    raw: m.toString(),
  };
}

function connectError(target: MllpTarget, e: Error & { code?: string }): Error {
  return e.code === 'ECONNREFUSED' ? new MllpConnectionRefusedError(target, e) : new MllpConnectError(target, e.code, e);
}
