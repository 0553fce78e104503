import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { StoreResult } from '../scu/store-scu';

/** A DICOMweb peer: the base URL of its service and the bearer token it wants, if any. */
export interface StowPeer {
  readonly name: string;
  readonly url: string;
  readonly token?: string;
}

export interface StowFile {
  readonly sopInstanceUid: string;
  readonly path: string;
  /** The bytes to send instead of the file's (a transcoded copy). */
  readonly bytes?: Buffer;
}

/** PS3.18 10.5.3 Failure Reason: the peer does not store the part's transfer syntax. */
export const STOW_TRANSFER_SYNTAX_NOT_SUPPORTED = 0xc122;

/** The peer could not be reached, or answered that it cannot take the request now (408, 429, 5xx): worth retrying. */
export class StowUnavailableError extends Error {
  constructor(
    public readonly peer: string,
    detail: string,
  ) {
    super(`${peer}: ${detail}`);
    this.name = 'StowUnavailableError';
  }
}

/** The peer refused the request itself (401, 403, 404, 415...): retrying the same request cannot help. */
export class StowRefusedError extends Error {
  constructor(
    public readonly peer: string,
    public readonly httpStatus: number,
    detail: string,
  ) {
    super(`${peer} refused the STOW-RS request: HTTP ${httpStatus}${detail ? ` (${detail})` : ''}`);
    this.name = 'StowRefusedError';
  }
}

const REFERENCED_SOP_SEQUENCE = '00081199';
const FAILED_SOP_SEQUENCE = '00081198';
const REFERENCED_SOP_INSTANCE_UID = '00081155';
const FAILURE_REASON = '00081197';
/** PS3.18 10.5.3: the Failure Reason is a C-STORE status; 0xA700 when the peer gave none. */
const UNSPECIFIED_FAILURE = 0xa700;

type DicomJson = Record<string, { Value?: unknown[] } | undefined>;

/**
 * Sends Part 10 files in one STOW-RS request (PS3.18 10.5: POST {url}/studies, multipart/related;
 * type="application/dicom", the files as stored) and reports each instance as the peer's answer
 * says: in the Referenced SOP Sequence = stored (status 0, the confirmation STOW-RS offers; there is
 * no storage commitment over HTTP), in the Failed SOP Sequence = its Failure Reason (a C-STORE
 * status, so the caller judges it as a C-STORE answer). An instance the answer does not name is not
 * reported (the caller sends it again).
 * @throws StowUnavailableError (network, 408, 429, 5xx) or StowRefusedError (any other 4xx without a body to read).
 */
export async function stowFiles(peer: StowPeer, files: readonly StowFile[], onResult: (r: StoreResult) => void | Promise<void>): Promise<void> {
  const boundary = `krypton-${randomUUID()}`;
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), f.bytes ?? (await readFile(f.path)), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  let res: Response;
  try {
    res = await fetch(`${peer.url.replace(/\/+$/, '')}/studies`, {
      method: 'POST',
      headers: {
        'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
        accept: 'application/dicom+json, application/json',
        ...(peer.token ? { authorization: `Bearer ${peer.token}` } : {}),
      },
      body: Buffer.concat(parts),
      signal: AbortSignal.timeout(10 * 60_000),
    });
  } catch (e) {
    throw new StowUnavailableError(peer.name, (e as Error).message);
  }
  const text = await res.text();
  if (res.status === 408 || res.status === 429 || res.status >= 500) throw new StowUnavailableError(peer.name, `HTTP ${res.status} ${text.slice(0, 200)}`);
  // 200 all stored, 202 some failed, 409 none stored: each with the per-instance answer.
  if (![200, 202, 409].includes(res.status)) throw new StowRefusedError(peer.name, res.status, text.slice(0, 200));
  let body: DicomJson;
  try {
    const parsed = JSON.parse(text) as DicomJson | DicomJson[];
    body = (Array.isArray(parsed) ? parsed[0] : parsed) ?? {};
  } catch {
    throw new StowUnavailableError(peer.name, `HTTP ${res.status} with an answer that is not DICOM JSON`);
  }
  const uidOf = (item: DicomJson) => String(item[REFERENCED_SOP_INSTANCE_UID]?.Value?.[0] ?? '');
  const sent = new Set(((body[REFERENCED_SOP_SEQUENCE]?.Value ?? []) as DicomJson[]).map(uidOf));
  const failed = new Map(((body[FAILED_SOP_SEQUENCE]?.Value ?? []) as DicomJson[]).map((item) => [uidOf(item), Number(item[FAILURE_REASON]?.Value?.[0] ?? UNSPECIFIED_FAILURE)]));
  for (const f of files) {
    if (sent.has(f.sopInstanceUid)) await onResult({ sopInstanceUid: f.sopInstanceUid, status: 0, detail: null });
    else if (failed.has(f.sopInstanceUid)) {
      const reason = failed.get(f.sopInstanceUid) as number;
      await onResult({ sopInstanceUid: f.sopInstanceUid, status: reason, detail: `STOW-RS failure reason 0x${reason.toString(16)}` });
    }
  }
}
