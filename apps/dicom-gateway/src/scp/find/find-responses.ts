import { DimseStatus } from '@krypton/dicom-network';

export interface FindStreamIo {
  /** Sends one pending response carrying this identifier. */
  readonly sendPending: (identifier: Record<string, unknown>) => void;
  /** The SCU sent C-CANCEL for this request. */
  readonly isCancelled: () => boolean;
  /** The association is gone: nothing more can be sent. */
  readonly isClosed: () => boolean;
}

/** Lets the socket deliver what arrived meanwhile (a C-CANCEL) before the next response goes out. */
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Sends the pending responses of a C-FIND one at a time and returns the final status: Success, or
 * Cancel (0xFE00) when a C-CANCEL arrived before the final response (PS3.7 9.1.2.1.5: the SCP
 * stops sending matches and answers Cancel). dcmjs-dimse would send a whole array at once,
 * which leaves no point at which a cancel could be seen.
 */
export async function streamFindResponses(identifiers: readonly Record<string, unknown>[], io: FindStreamIo): Promise<number> {
  for (const identifier of identifiers) {
    if (io.isCancelled()) return DimseStatus.Cancel;
    if (io.isClosed()) return DimseStatus.Success;
    io.sendPending(identifier);
    await yieldToIo();
  }
  return io.isCancelled() ? DimseStatus.Cancel : DimseStatus.Success;
}

/**
 * C-FINDs in progress on one association, by message id, so that a C-CANCEL (which names the
 * message it cancels) can reach the one it is for.
 */
export class FindRegistry {
  private readonly cancelled = new Map<number, boolean>();

  begin(messageId: number): { readonly isCancelled: () => boolean; readonly end: () => void } {
    this.cancelled.set(messageId, false);
    return { isCancelled: () => this.cancelled.get(messageId) === true, end: () => this.cancelled.delete(messageId) };
  }

  /** A cancel for a request already answered (or unknown) is ignored, as PS3.7 allows. */
  cancel(messageId: number): boolean {
    if (!this.cancelled.has(messageId)) return false;
    this.cancelled.set(messageId, true);
    return true;
  }
}
