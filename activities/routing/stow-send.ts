import { readFile } from 'node:fs/promises';
import type { WebDestination } from '@krypton/config';
import { losslessTargetFor, TranscodeError, transcodePart10, TS } from '@krypton/dicom-codec';
import { STOW_TRANSFER_SYNTAX_NOT_SUPPORTED, stowFiles, type StoreResult, type StowFile } from '@krypton/dicom-network';

/** A stored instance to send, with the syntax the catalogue recorded for it. */
export interface StowSource {
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  readonly path: string;
}

/** The syntax to send an instance in, or why there is none. */
type Target = string | { readonly refused: string };

/** The file as stored, or a copy in `to` (dcmjs-codecs, as the DIMSE sender's transcoding); a refusal when that cannot be done. */
async function inSyntax(f: StowSource, to: Target): Promise<StowFile | StoreResult> {
  if (typeof to !== 'string') return { sopInstanceUid: f.sopInstanceUid, status: STOW_TRANSFER_SYNTAX_NOT_SUPPORTED, detail: to.refused };
  if (to === f.transferSyntaxUid) return { sopInstanceUid: f.sopInstanceUid, path: f.path };
  try {
    return { sopInstanceUid: f.sopInstanceUid, path: f.path, bytes: await transcodePart10(await readFile(f.path), f.transferSyntaxUid, to) };
  } catch (e) {
    if (!(e instanceof TranscodeError)) throw e;
    return { sopInstanceUid: f.sopInstanceUid, status: STOW_TRANSFER_SYNTAX_NOT_SUPPORTED, detail: e.message };
  }
}

/**
 * Sends instances to a STOW-RS destination, `instancesPerRequest` per POST, each answer reported
 * through onResult and `afterRequest` called after each request (the caller records). A file in a
 * syntax the destination does not declare (`transferSyntaxes`) is transcoded first; a part the
 * destination refuses with Failure Reason 0xC122 is transcoded (to its first declared lossless
 * syntax, else Explicit VR Little Endian, the STOW-RS default) and sent once more. Transcoding is
 * never lossy: without a lossless target the instance is refused (0xC122 with the reason).
 */
export async function sendByStow(
  dest: WebDestination,
  token: string | undefined,
  sources: readonly StowSource[],
  onResult: (r: StoreResult) => Promise<void>,
  afterRequest: () => Promise<void>,
): Promise<void> {
  const peer = { name: dest.name, url: dest.url, token };
  const declared = dest.transferSyntaxes;
  const noLosslessTarget = (f: StowSource) => ({ refused: `${dest.name} takes none of the syntaxes ${f.transferSyntaxUid} can be transcoded to without loss` });
  const firstTarget = (f: StowSource): Target => {
    if (!declared || declared.includes(f.transferSyntaxUid)) return f.transferSyntaxUid;
    return losslessTargetFor(declared) ?? noLosslessTarget(f);
  };
  const retryTarget = (f: StowSource): Target => {
    const sent = firstTarget(f);
    const to = declared ? losslessTargetFor(declared) : TS.ExplicitVRLittleEndian;
    // Refused in the syntax it would be sent in again: nothing more to try.
    if (to === null || to === sent) return { refused: `${dest.name} refused transfer syntax ${sent as string} (0xC122) and the hub has no other lossless one to send` };
    return to;
  };

  const send = async (batch: readonly StowSource[], target: (f: StowSource) => Target, refusedSyntax: StowSource[] | null) => {
    const bySop = new Map(batch.map((f) => [f.sopInstanceUid, f]));
    for (let i = 0; i < batch.length; i += dest.instancesPerRequest) {
      const files: StowFile[] = [];
      for (const prepared of await Promise.all(batch.slice(i, i + dest.instancesPerRequest).map((f) => inSyntax(f, target(f))))) {
        if ('path' in prepared) files.push(prepared);
        else await onResult(prepared);
      }
      if (files.length) {
        await stowFiles(peer, files, async (r) => {
          const source = bySop.get(r.sopInstanceUid);
          if (refusedSyntax && source && r.status === STOW_TRANSFER_SYNTAX_NOT_SUPPORTED) refusedSyntax.push(source);
          else await onResult(r);
        });
      }
      await afterRequest();
    }
  };

  const refusedSyntax: StowSource[] = [];
  await send(sources, firstTarget, refusedSyntax);
  if (refusedSyntax.length) await send(refusedSyntax, retryTarget, null);
}
