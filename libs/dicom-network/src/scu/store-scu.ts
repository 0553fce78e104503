import * as dimse from 'dcmjs-dimse';
import { AssociationRejectedError, PeerUnavailableError } from './scu-errors';
import { StoredDataset } from './stored-dataset';
import { writePData } from './fast-pdata';
import { installFastCommandReader } from './command-set-reader';
import { installFastCommandWriter } from './command-set-writer';
import { sendableAsStored, storeContexts, storeFilesDirect } from './direct-store';

const { Client } = dimse;

// dcmjs-dimse logs every PDU at info through loglevel, in every process that sends (the worker's
// routings, the gateway's C-MOVE): a line per instance on stdout costs more than the send itself.
dimse.log.setLevel(process.env.DIMSE_LOG_LEVEL === 'debug' ? 'debug' : 'silent');
const { CStoreRequest } = dimse.requests;

export interface DicomPeer {
  readonly host: string;
  readonly port: number;
  readonly aeTitle: string;
}

export interface StoreFile {
  readonly sopInstanceUid: string;
  readonly path: string;
  /** With the class and the stored syntax (from the catalogue) the file is sent as stored, not re-encoded. */
  readonly sopClassUid?: string;
  readonly transferSyntaxUid?: string;
  /** The file's size (catalogue), when known: large objects are not read ahead. */
  readonly size?: number;
}

export interface StoreResult {
  readonly sopInstanceUid: string;
  /** DIMSE status; null when the instance was never sent (no accepted presentation context). */
  readonly status: number | null;
  readonly detail: string | null;
}

export interface StoreOptions {
  readonly callingAeTitle: string;
  readonly timeoutMs?: number;
  /** Called as each answer arrives, so callers can persist progress before the association ends. */
  readonly onResult?: (r: StoreResult) => void | Promise<void>;
}

/** Status used when the peer accepted no presentation context for the object's SOP class and syntax. */
export const NO_PRESENTATION_CONTEXT = 0x0122;

/**
 * Replaces the connection's P-DATA writer (dcmjs-dimse's builds every PDU through its generic
 * writer): commands are written by writeCommandSet and go out with their data set through
 * writePData; a file sent as stored goes out as its bytes on disk, and the files after it are read
 * ahead meanwhile (see StoredDataset.readAhead); a data set dcmjs-dimse transcodes, or any other,
 * is encoded by dcmjs as before. Used by the SCU's client and by the gateway's SCP (C-GET
 * sub-operations and every response; the network object is the same dcmjs-dimse class).
 */
export function sendStoredAsIs(network: any): void {
  if (!network._sendPDataTF) return;
  installFastCommandWriter();
  network._sendPDataTF = function (command: any, pcId: number, maxPdu: number) {
    const ds = command.getDataset?.();
    const stored = ds instanceof StoredDataset && ds.sendsAsStored();
    const data = ds ? (stored ? ds.storedBytes() : ds.getDenaturalizedDataset(this.datasetWriteOptions, this.datasetNameMap)) : null;
    const sent = writePData(this.socket, pcId, maxPdu, command.getCommandDataset().getDenaturalizedCommandDataset(), data);
    if (stored) ds.readAheadNext();
    this.statistics?.addBytesSent?.(sent);
  };
}

let codecs: Promise<void> | undefined;
/**
 * Loads dcmjs-codecs' WebAssembly codecs (bundled with dcmjs-dimse), once per process: without them
 * dcmjs-dimse transcodes only between uncompressed syntaxes, so a JPEG file could not reach a
 * destination that accepts only little endian.
 */
export function initializeTranscoding(): Promise<void> {
  codecs ??= (dimse as any).Transcoding.initializeAsync();
  return codecs as Promise<void>;
}

/** The C-STORE request of a stored file: sent as stored when the catalogue gave its class and syntax. */
export function storeRequest(f: StoreFile): InstanceType<typeof CStoreRequest> {
  return new CStoreRequest(f.sopClassUid && f.transferSyntaxUid ? (new StoredDataset(f.path, f.sopClassUid, f.sopInstanceUid, f.transferSyntaxUid, f.size) as any) : f.path);
}

/**
 * Sends files over one association. Files whose class and stored syntax the catalogue gave go
 * through storeFilesDirect (as stored, straight from disk); what the destination accepts only in
 * another syntax, and files without them, through dcmjs-dimse (storeFilesDcmjs), which transcodes.
 * One result per file, in the files' order.
 */
export async function storeFiles(peer: DicomPeer, files: readonly StoreFile[], opts: StoreOptions): Promise<StoreResult[]> {
  const contexts = files.length > 0 && files.every(sendableAsStored) ? storeContexts(files) : null;
  if (!contexts) return storeFilesDcmjs(peer, files, opts);
  const { results, leftovers } = await storeFilesDirect(peer, files, contexts, opts);
  if (!leftovers.length) return results;
  const all = new Map([...results, ...(await storeFilesDcmjs(peer, leftovers, opts))].map((r) => [r.sopInstanceUid, r]));
  return files.map((f) => all.get(f.sopInstanceUid) as StoreResult);
}

/**
 * Sends files over one association with dcmjs-dimse (as stored where the association allows it,
 * transcoded otherwise). Resolves with one result per file once the association closes; rejects
 * with a typed error when the peer cannot be reached or refuses us. Results that arrived before a
 * network failure have already been reported through onResult.
 */
export function storeFilesDcmjs(peer: DicomPeer, files: readonly StoreFile[], opts: StoreOptions): Promise<StoreResult[]> {
  const name = `${peer.aeTitle}@${peer.host}:${peer.port}`;
  installFastCommandReader();
  return new Promise((resolve, reject) => {
    const client = new Client();
    const results = new Map<string, StoreResult>();
    const pendingCallbacks: Promise<unknown>[] = [];
    let failure: Error | null = null;
    let previous: StoredDataset | null = null;
    let first: StoredDataset | null = null;
    for (const f of files) {
      const stored = f.sopClassUid && f.transferSyntaxUid ? new StoredDataset(f.path, f.sopClassUid, f.sopInstanceUid, f.transferSyntaxUid, f.size) : null;
      if (previous) previous.next = stored;
      else first ??= stored;
      previous = stored;
      const req = new CStoreRequest(stored ? (stored as any) : f.path);
      req.on('response', (res: any) => {
        const r: StoreResult = { sopInstanceUid: f.sopInstanceUid, status: res.getStatus(), detail: res.getErrorComment?.() ?? null };
        results.set(f.sopInstanceUid, r);
        if (opts.onResult) pendingCallbacks.push(Promise.resolve(opts.onResult(r)));
      });
      client.addRequest(req);
    }
    client.on('connected', () => {
      const network = (client as any).network;
      network?.socket?.setNoDelay?.(true);
      if (network) sendStoredAsIs(network);
      // The first files are read while the association is negotiated.
      first?.readAhead();
      first?.readAheadNext();
    });
    client.on('associationRejected', (e: { result: number; source: number; reason: number }) => {
      failure = new AssociationRejectedError(name, e.result, e.source, e.reason);
    });
    client.on('networkError', (e: Error) => {
      failure ??= new PeerUnavailableError(name, e.message);
    });
    let released = false;
    client.on('associationReleased', () => {
      released = true;
    });
    client.on('closed', async () => {
      await Promise.allSettled(pendingCallbacks);
      if (failure) return reject(failure);
      // A clean release with unanswered requests means dcmjs-dimse skipped them: no accepted context.
      // A connection closed without a release (the peer hung up) leaves them unanswered, not refused.
      const unanswered = (f: StoreFile): StoreResult =>
        released
          ? { sopInstanceUid: f.sopInstanceUid, status: NO_PRESENTATION_CONTEXT, detail: 'the destination accepted no presentation context for this SOP class and transfer syntax' }
          : { sopInstanceUid: f.sopInstanceUid, status: null, detail: 'the association ended before the destination answered' };
      resolve(files.map((f) => results.get(f.sopInstanceUid) ?? unanswered(f)));
    });
    try {
      client.send(peer.host, peer.port, opts.callingAeTitle, peer.aeTitle, {
        connectTimeout: opts.timeoutMs ?? 30000,
        associationTimeout: opts.timeoutMs ?? 30000,
        pduTimeout: opts.timeoutMs ?? 60000,
      });
    } catch (e) {
      reject(new PeerUnavailableError(name, e.message));
    }
  });
}
