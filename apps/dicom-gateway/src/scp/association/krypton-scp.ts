import { AuditUnavailableError } from '@krypton/audit';
import * as dimse from 'dcmjs-dimse';
import { Socket } from 'node:net';
import { defaultIssuerFor, findDestination } from '@krypton/config';
import { AmbiguousPatientError, describeSelector } from '@krypton/patient-match';
import { InvalidMatchKeyError } from '@krypton/catalog';
import { MppsRefusedError, TooManyWorklistMatchesError } from '@krypton/pathway';
import { buildFileMetaHeader, isValidUid, newUuidUid, SOP_CLASS } from '@krypton/dicom-codec';
import { DimseStatus, storeFiles, PeerUnavailableError, AssociationRejectedError, encodeStoreResponsePdu, sendStoredAsIs, StoreFile, storeRequest } from '@krypton/dicom-network';
import { checkAeTitles, decideContext, plainAddress, REJECT_LOCAL_LIMIT } from './association-policy';
import { AssociationReceiver, ReceiveLimits, StoreReception } from './receive-layer';
import { StoreCommand } from '../store/store-command';
import { FindRegistry, streamFindResponses } from '../find/find-responses';
import { InvalidIdentifierError, parseIdentifier, responseIdentifier } from '../find/identifier';
import { EmptyRetrieveKeysError, locateForRetrieve, SubOperations, toStoreFiles } from '../retrieve/retrieve';
import { InvalidRetrievePatientIdError, RetrievePatientOptions } from '../retrieve/retrieve-patient';
import { ScpDeps } from './scp-deps';
import { parseCommitmentReport } from '../commitment/commitment-report';
import { storeFailureStatus } from '../store/store-status';
import { DimseAccessDeniedError, DimseAccessUndecidedError } from './dimse-access';
import { hasUnsupportedKeys, parseWorklistIdentifier, worklistResponse } from '../worklist/worklist-find';

const { Scp, Dataset } = dimse;
const { CEchoResponse, CFindResponse, CStoreResponse, CMoveResponse, CGetResponse, NCreateResponse, NSetResponse, NEventReportResponse } = dimse.responses;
const { PresentationContextResult, Status } = dimse.constants;

type Callback<T> = (r: T) => void;

function plainPeer(socket: Socket): string {
  return plainAddress(socket.remoteAddress);
}

/** The association's receive side; a symbol, not a class field (set during the base constructor). */
const RX = Symbol('receiver');
/** Before acceptance no PDU is larger than an A-ASSOCIATE-RQ with a few hundred contexts. */
const PRE_ASSOCIATION_MAX_PDU = 65536;
/** The PS3.8 field allows 4 GiB; no hub peer sends P-DATA longer than this (dcmjs-dimse sends ≤ 4 MiB). */
const HARD_MAX_PDU = 4 * 1024 * 1024;
const MAX_NON_STORE_DATASET = 4 * 1024 * 1024;

function failure<T extends { setStatus(s: number): void; setErrorComment(c: string): void }>(res: T, status: number, comment: string): T {
  res.setStatus(status);
  // Error Comment is LO: 64 characters at most.
  res.setErrorComment(comment.slice(0, 64));
  return res;
}

/**
 * Guards a dcmjs-dimse response callback: it may run once, and an error thrown while sending
 * (the peer already gone) must not escape into the event emitter and take the process down.
 */
function once<T>(callback: Callback<T>, log: ScpDeps['log']): Callback<T> {
  let called = false;
  return (r: T) => {
    if (called) return;
    called = true;
    try {
      callback(r);
    } catch (e) {
      log.debug({ err: e.message }, 'response not sent: association gone');
    }
  };
}

/**
 * An ambiguous Patient ID answers 0xA900 "Identifier does not match SOP Class" (PS3.4 C.4.2.1.5,
 * C.4.3.1.4), not 0xCxxx "Unable to process": the hub processed the request and found that its
 * identifier does not designate one patient, which is what the patient level's unique key must
 * do. 0xA900 tells the SCU to change its request (add the issuer) and not to retry it as it is;
 * 0xCxxx is the SCP's own failure, which an SCU may retry unchanged. It is also the status the
 * gateway gives the other retrieve identifiers it cannot act on (no key, malformed key).
 */
function queryFailureStatus(e: unknown): number {
  if (
    e instanceof InvalidIdentifierError ||
    e instanceof InvalidMatchKeyError ||
    e instanceof EmptyRetrieveKeysError ||
    e instanceof AmbiguousPatientError ||
    e instanceof InvalidRetrievePatientIdError
  ) {
    return DimseStatus.IdentifierDoesNotMatchSopClass;
  }
  if (e instanceof TooManyWorklistMatchesError) return DimseStatus.OutOfResources;
  return DimseStatus.UnableToProcess;
}

/** The Error Comment of a failure: an ambiguous patient says what to add, within LO's 64 characters. */
function commentOf(e: Error): string {
  return e instanceof AmbiguousPatientError ? e.errorComment : e.message;
}

/** A UID from a command set, without the padding some peers leave. */
function uidOf(v: unknown): string {
  return String(v ?? '')
    .replace(/\0/g, '')
    .trim();
}

interface FindMatches {
  readonly identifiers: readonly Record<string, unknown>[];
  /** 0xFF00, or 0xFF01 when the identifier held optional keys the hub does not support. */
  readonly pendingStatus: number;
}

/**
 * Builds the SCP class dcmjs-dimse instantiates for each association, with the hub's services
 * captured in the closure. One instance serves one association; nothing is shared between them
 * but the services, so a misbehaving peer affects only its own association.
 */
export function createScpClass(deps: ScpDeps) {
  const { cfg, catalog, ingest, store, worklist, mpps, commitments, log, access } = deps;
  const limits: ReceiveLimits = {
    preAssociationMaxPdu: PRE_ASSOCIATION_MAX_PDU,
    hardMaxPdu: HARD_MAX_PDU,
    maxNonStoreDataset: MAX_NON_STORE_DATASET,
    artimMs: cfg.dicom.artimTimeoutSeconds * 1000,
    idleMs: cfg.dicom.idleTimeoutSeconds * 1000,
  };
  /** Connections of this process, counted from connect to close. */
  let connections = 0;
  // The cluster primary deals connections in turn: each process takes its share of the limit.
  const maxAssociations = Math.max(1, Math.ceil(cfg.dicom.maxAssociations / cfg.dicom.processes));

  return class KryptonScp extends Scp {
    private association: any;
    private callingAe = '';
    private readonly finds = new FindRegistry();
    /** Studies of this association already audited as written (one record per study, not per instance). */
    private readonly auditedStudies = new Set<string>();
    /**
     * Whether this association may write each study it sends into: one decision (one facts query)
     * per study and association, cached, awaited by every instance of the study; not one per instance.
     */
    private readonly storeRefusals = new Map<string, Promise<string | null>>();

    constructor(socket: Socket, opts: any) {
      super(socket, opts);
      // Without this, each small response waits for the peer's delayed ACK (about 40 ms here).
      socket.setNoDelay(true);
      // C-GET's C-STORE sub-operations go out as stored, straight to the socket, like the SCU's.
      sendStoredAsIs(this);
      this.on('networkError', (e: Error) => log.debug({ err: e.message, peer: this.callingAe }, 'association network error'));
    }

    /**
     * dcmjs-dimse's Network calls this from its constructor to read the socket; the hub reads it
     * with its own receive layer instead (association state machine, PDU limits, timeouts).
     */
    _wrapSocket(): void {
      const socket: Socket = (this as any).socket;
      connections++;
      socket.once('close', () => connections--);
      (this as any)[RX] = new AssociationReceiver(
        this as any,
        limits,
        {
          protocolViolation: (why) => log.warn({ peer: plainPeer(socket), callingAe: this.callingAe || undefined, why }, 'association aborted'),
          timedOut: (why) => log.info({ peer: plainPeer(socket), callingAe: this.callingAe || undefined, why }, 'association timed out'),
        },
        // C-STORE requests are received by the hub itself, not through dcmjs-dimse's message objects.
        { begin: (command, pcId) => this.storeReceiving(command, pcId) },
      );
    }

    private get receiver(): AssociationReceiver {
      return (this as any)[RX];
    }

    associationRequested(association: any): void {
      this.association = association;
      this.callingAe = association.getCallingAeTitle().trim();
      const socket: Socket = (this as any).socket;
      const rejection =
        connections > maxAssociations
          ? { ...REJECT_LOCAL_LIMIT, why: `${connections - 1} associations already (dicom.maxAssociations ${cfg.dicom.maxAssociations} over ${cfg.dicom.processes} processes)` }
          : checkAeTitles(cfg, association.getCallingAeTitle(), association.getCalledAeTitle(), socket.remoteAddress);
      if (rejection) {
        log.warn({ callingAe: this.callingAe, calledAe: association.getCalledAeTitle().trim(), peer: plainPeer(socket), reason: rejection.why }, 'association rejected');
        this.sendAssociationReject(rejection.result, rejection.source, rejection.reason);
        // PS3.8: nothing more is read on a rejected association; the transport closes.
        this.receiver.closeAfterAnswer();
        return;
      }
      // dcmjs-dimse keeps one max PDU length per association and uses it both as the limit it
      // announces in the A-ASSOCIATE-AC (ours to receive) and as the size of every P-DATA it sends
      // (which must be the requestor's, PS3.8 D.1). Announce ours, then send with the peer's: a
      // C-GET or C-FIND answer to a peer announcing 16 KiB otherwise went out in 256 KiB PDUs.
      const peerMaxPdu = association.getMaxPduLength();
      association.setMaxPduLength(cfg.dicom.maxPduLength);
      for (const c of association.getPresentationContexts()) {
        const context = association.getPresentationContext(c.id);
        const decision = decideContext(context.getAbstractSyntaxUid(), context.getTransferSyntaxUids());
        if (decision.accept) {
          context.setResult(PresentationContextResult.Accept, decision.transferSyntax);
        } else {
          context.setResult(decision.reason === 'abstract-syntax' ? PresentationContextResult.RejectAbstractSyntaxNotSupported : PresentationContextResult.RejectTransferSyntaxesNotSupported);
        }
      }
      this.sendAssociationAccept();
      const announcedMaxPdu = association.getMaxPduLength();
      association.setMaxPduLength(peerMaxPdu);
      const accepted = association
        .getPresentationContexts()
        .map((c: any) => association.getPresentationContext(c.id))
        .filter((c: any) => c.getResult() === PresentationContextResult.Accept)
        .map((c: any) => c.getPresentationContextId());
      this.receiver.established(accepted, announcedMaxPdu);
    }

    associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
      this.receiver.closeAfterAnswer();
      ingest.senderDone();
    }

    cEchoRequest(request: any, rawCallback: Callback<any>): void {
      const callback = once(rawCallback, log);
      const res = CEchoResponse.fromRequest(request);
      res.setStatus(Status.Success);
      callback(res);
    }

    /** Only a C-STORE without a data set reaches dcmjs-dimse (the receive layer takes the others): refused. */
    cStoreRequest(request: any, rawCallback: Callback<any>): void {
      const res = CStoreResponse.fromRequest(request);
      once(rawCallback, log)(failure(res, DimseStatus.CannotUnderstand, 'C-STORE without a data set'));
    }

    /**
     * A C-STORE taken by the receive layer: its data set streams to storage through
     * IngestService.receive as the PDVs arrive; once the last one is in, the object is checked,
     * fsynced, journalled and audited, then answered with the hand-encoded response on the
     * request's presentation context (PS3.7 9.1.1.1), Success only once the object is safe.
     */
    private storeReceiving(command: StoreCommand, pcId: number): StoreReception {
      const { sopClassUid, sopInstanceUid } = command;
      const socket: Socket = (this as any).socket;
      const answer = (status: number, errorComment?: string) => {
        if (socket.destroyed) return;
        try {
          socket.write(
            encodeStoreResponsePdu({
              presentationContextId: pcId,
              messageIdBeingRespondedTo: command.messageId,
              affectedSopClassUid: sopClassUid,
              affectedSopInstanceUid: sopInstanceUid,
              status,
              errorComment,
            }),
          );
        } catch (e) {
          log.debug({ err: e.message }, 'response not sent: association gone');
        }
      };
      const transferSyntaxUid = this.association.getPresentationContext(pcId)?.getAcceptedTransferSyntaxUid();
      const meta = buildFileMetaHeader({ sopClassUid, sopInstanceUid, transferSyntaxUid, sourceAeTitle: this.callingAe });
      const started = process.hrtime.bigint();
      const reception = ingest.receive({
        meta,
        sourceAe: this.callingAe,
        sopClassUid,
        sopInstanceUid,
        transferSyntaxUid,
        flow: { pause: () => socket.pause(), resume: () => socket.resume() },
        // Before the object is made durable: another site's study is refused (0x0124), its file removed, nothing indexed.
        check: (rec) => this.mayStore(rec.studyUid),
      });
      return {
        data: (chunk) => reception.write(chunk),
        abort: () => {
          log.info({ sopInstanceUid, callingAe: this.callingAe }, 'C-STORE data set cut off by the end of the association: not stored');
          reception.abort();
        },
        end: () =>
          void reception
            .end()
            .then(async (r) => {
              await this.auditStore(r.record);
              return r;
            })
            .then(
              (r) => {
                log.debug({ sopInstanceUid, outcome: r.outcome, callingAe: this.callingAe, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'stored');
                answer(Status.Success);
              },
              (e) => {
                // Stored but not audited: refused (0xA700) so that the sender resends; the copy is kept.
                const status = e instanceof AuditUnavailableError ? DimseStatus.OutOfResources : storeFailureStatus(e);
                log.warn({ sopInstanceUid, callingAe: this.callingAe, status: `0x${status.toString(16)}`, err: e.message }, 'C-STORE refused');
                answer(status, e.message);
              },
            ),
      };
    }

    private accessContext() {
      return access.context(this.callingAe, (this as any).socket?.remoteAddress ?? null);
    }

    private async mayStore(studyUid: string): Promise<void> {
      let refusal = this.storeRefusals.get(studyUid);
      if (!refusal) {
        refusal = access.storeRefusal(this.accessContext(), studyUid).catch((e: Error) => {
          throw new DimseAccessUndecidedError(e);
        });
        this.storeRefusals.set(studyUid, refusal);
        // A failed decision (database, audit) is not kept: the next instance asks again.
        refusal.catch(() => this.storeRefusals.delete(studyUid));
      }
      const reason = await refusal;
      if (reason !== null) throw new DimseAccessDeniedError(`${this.callingAe} may not write study ${studyUid}: ${reason}`);
    }

    private async auditStore(rec: { studyUid: string; ins: string | null; issuer: string; patientId: string }): Promise<void> {
      if (this.auditedStudies.has(rec.studyUid)) return;
      await access.recordStore(this.accessContext(), rec.studyUid, { patientIns: rec.ins, patientKey: `${rec.issuer}|${rec.patientId}` });
      this.auditedStudies.add(rec.studyUid);
    }

    cFindRequest(request: any, rawCallback: Callback<any[]>): void {
      const callback = once(rawCallback, log);
      const sopClass = uidOf(request.getAffectedSopClassUid());
      // Registered before the query runs: a C-CANCEL may arrive while the database answers.
      const find = this.finds.begin(request.getMessageId());
      (async () => {
        const elements = request.getDataset()?.getElements() ?? {};
        const matches = sopClass === SOP_CLASS.ModalityWorklistFind ? await this.worklistMatches(elements) : await this.catalogMatches(elements);
        const status = await streamFindResponses(matches.identifiers, {
          sendPending: (identifier) => {
            const pending = CFindResponse.fromRequest(request);
            pending.setStatus(matches.pendingStatus);
            pending.setDataset(new Dataset(identifier));
            this.sendPending(request, pending);
          },
          isCancelled: find.isCancelled,
          isClosed: () => (this as any).socket.destroyed,
        });
        if (status === DimseStatus.Cancel) log.debug({ callingAe: this.callingAe, sopClass }, 'C-FIND cancelled by the SCU');
        const done = CFindResponse.fromRequest(request);
        done.setStatus(status);
        return [done];
      })()
        .then(callback, (e) => {
          log.warn({ err: e.message, callingAe: this.callingAe, sopClass }, 'C-FIND failed');
          callback([failure(CFindResponse.fromRequest(request), queryFailureStatus(e), e.message)]);
        })
        .finally(find.end);
    }

    /** C-CANCEL names the C-FIND it cancels by message id; the find stops before its next response. */
    cCancelRequest(request: any): void {
      this.finds.cancel(request.getMessageIdBeingRespondedTo());
    }

    private async catalogMatches(elements: Record<string, unknown>): Promise<FindMatches> {
      const id = parseIdentifier(elements);
      log.debug({ callingAe: this.callingAe, level: id.level, keys: id.keys }, 'C-FIND');
      const ctx = this.accessContext();
      // Scoped in SQL by the calling AE's site and kind (libs/access); one audit record per query.
      const filter = access.findScope(ctx);
      const rows = await catalog.query({ level: id.level, keys: id.keys, scope: filter === 'all' ? undefined : filter, withAuditKeys: true });
      await access.recordFind(ctx, rows, { level: id.level, keys: id.keys });
      return { identifiers: rows.map((row) => responseIdentifier(id, row, cfg.dicom.aeTitle)), pendingStatus: Status.Pending };
    }

    /**
     * Modality Worklist: matches from `worklist_item`. Keys outside the model the hub answers (see
     * WORKLIST_KEYS: patient weight or allergies are answered empty, but e.g. Patient's Address or
     * Ethnic Group are not kept at all), and values on keys the hub only returns, turn every
     * pending status into 0xFF01 (PS3.4 K.4.1.1.4); the unsupported keys are left out.
     */
    private async worklistMatches(elements: Record<string, unknown>): Promise<FindMatches> {
      const q = parseWorklistIdentifier(elements);
      const warn = hasUnsupportedKeys(q);
      log.debug({ callingAe: this.callingAe, conditions: q.conditions.map((c) => `${c.path}=${c.value}`), unsupported: q.unsupported, unmatched: q.unmatched }, 'MWL C-FIND');
      const ctx = this.accessContext();
      const site = access.worklistSite(ctx);
      const rows = site === null ? [] : await worklist.find(q.conditions, site);
      await access.recordWorklist(
        ctx,
        site !== null,
        rows.length,
        rows.flatMap((r) => (r.patient.ins ? [r.patient.ins] : [])),
      );
      return { identifiers: rows.map((row) => worklistResponse(q, row)), pendingStatus: warn ? DimseStatus.PendingWarning : Status.Pending };
    }

    /**
     * MPPS N-CREATE: the step is stored (and the pathway told) before Success goes back. An SCU may
     * leave the SOP Instance UID to the SCP (PS3.4 F.7.2.1.2); the hub's is then in the response.
     */
    nCreateRequest(request: any, rawCallback: Callback<any>): void {
      const callback = once(rawCallback, log);
      const res = NCreateResponse.fromRequest(request);
      const sopClass = uidOf(request.getAffectedSopClassUid());
      if (sopClass !== SOP_CLASS.ModalityPerformedProcedureStep) {
        return callback(failure(res, DimseStatus.SopClassNotSupported, `N-CREATE of ${sopClass} is not supported`));
      }
      const given = uidOf(request.getAffectedSopInstanceUid());
      if (given && !isValidUid(given)) return callback(failure(res, DimseStatus.InvalidObjectInstance, `invalid SOP Instance UID ${given}`));
      const uid = given || newUuidUid();
      res.setAffectedSopInstanceUid(uid);
      mpps
        .create(uid, this.callingAe, request.getDataset()?.getElements() ?? {})
        .then(
          (r) => {
            log.info({ sopInstanceUid: uid, callingAe: this.callingAe, status: r.status, dropped: r.dropped.length ? r.dropped : undefined }, 'MPPS created');
            res.setStatus(Status.Success);
          },
          (e) => this.mppsFailure(res, 'N-CREATE', uid, e),
        )
        .then(() => callback(res));
    }

    nSetRequest(request: any, rawCallback: Callback<any>): void {
      const callback = once(rawCallback, log);
      const res = NSetResponse.fromRequest(request);
      const sopClass = uidOf(request.getRequestedSopClassUid());
      if (sopClass !== SOP_CLASS.ModalityPerformedProcedureStep) {
        return callback(failure(res, DimseStatus.SopClassNotSupported, `N-SET of ${sopClass} is not supported`));
      }
      const uid = uidOf(request.getRequestedSopInstanceUid());
      mpps
        .set(uid, request.getDataset()?.getElements() ?? {})
        .then(
          (r) => {
            log.info({ sopInstanceUid: uid, callingAe: this.callingAe, status: r.status, dropped: r.dropped.length ? r.dropped : undefined }, 'MPPS updated');
            res.setStatus(Status.Success);
          },
          (e) => this.mppsFailure(res, 'N-SET', uid, e),
        )
        .then(() => callback(res));
    }

    /**
     * The outcome of a storage commitment the hub asked a destination for (forward activities'
     * N-ACTION), filed for the routing that waits on it. An unknown transaction is answered
     * "no such object instance" (0x0112) so the sender's log says it was not ours.
     */
    nEventReportRequest(request: any, rawCallback: Callback<any>): void {
      const callback = once(rawCallback, log);
      const res = NEventReportResponse.fromRequest(request);
      if (uidOf(request.getAffectedSopClassUid()) !== SOP_CLASS.StorageCommitmentPushModel) {
        return callback(failure(res, DimseStatus.SopClassNotSupported, 'only storage commitment reports are taken'));
      }
      (async () => {
        const report = parseCommitmentReport(request.getDataset()?.getElements() ?? {});
        const known = await commitments.report(report.transactionUid, report.committed, report.failed);
        log.info({ transactionUid: report.transactionUid, callingAe: this.callingAe, committed: report.committed.length, failed: report.failed.length, known }, 'storage commitment report');
        if (known) res.setStatus(Status.Success);
        else failure(res, 0x0112, `unknown transaction ${report.transactionUid}`);
      })()
        .catch((e) => {
          log.warn({ callingAe: this.callingAe, err: e.message }, 'storage commitment report refused');
          failure(res, DimseStatus.ProcessingFailure, e.message);
        })
        .then(() => callback(res));
    }

    /** Refusals carry their status; anything else (database down) is a processing failure the modality retries. */
    private mppsFailure(res: any, op: string, uid: string, e: Error): void {
      const status = e instanceof MppsRefusedError ? e.status : DimseStatus.ProcessingFailure;
      log.warn({ sopInstanceUid: uid, callingAe: this.callingAe, status: `0x${status.toString(16).padStart(4, '0')}`, err: e.message }, `MPPS ${op} refused`);
      failure(res, status, e.message);
    }

    cMoveRequest(request: any, rawCallback: Callback<any[]>): void {
      const callback = once(rawCallback, log);
      const destinationAe = String(request.getCommandDataset().getElement('MoveDestination') ?? '').trim();
      (async () => {
        const dest = findDestination(cfg, destinationAe);
        if (!dest || dest.aeTitle !== destinationAe) {
          return callback([failure(CMoveResponse.fromRequest(request), DimseStatus.MoveDestinationUnknown, `unknown move destination ${destinationAe}`)]);
        }
        const id = parseIdentifier(request.getDataset()?.getElements() ?? {});
        const ctx = this.accessContext();
        const locations = await access.retrievable(ctx, access.moveAction(ctx, dest), await locateForRetrieve(catalog, id, this.retrieveOptions('C-MOVE')), {
          op: 'C-MOVE',
          destination: destinationAe,
        });
        const ops = new SubOperations(locations.length);
        if (locations.length > 0) {
          try {
            await storeFiles(dest, await toStoreFiles(store, locations), {
              callingAeTitle: cfg.dicom.aeTitle,
              onResult: (r) => {
                ops.record(r.sopInstanceUid, r.status);
                if (ops.pendingDue()) this.sendPending(request, ops.fill(CMoveResponse.fromRequest(request), false));
              },
            });
          } catch (e) {
            if (!(e instanceof PeerUnavailableError || e instanceof AssociationRejectedError)) throw e;
            log.warn({ destination: destinationAe, err: e.message }, 'C-MOVE destination unreachable');
            const res = failure(CMoveResponse.fromRequest(request), DimseStatus.OutOfResourcesSubOperations, e.message);
            ops.apply(res, true);
            return callback([res]);
          }
        }
        callback([ops.fill(CMoveResponse.fromRequest(request), true)]);
      })().catch((e) => {
        log.warn({ err: e.message, callingAe: this.callingAe, issuers: e instanceof AmbiguousPatientError ? e.issuers : undefined }, 'C-MOVE failed');
        callback([failure(CMoveResponse.fromRequest(request), queryFailureStatus(e), commentOf(e))]);
      });
    }

    cGetRequest(request: any, rawCallback: Callback<any[]>): void {
      const callback = once(rawCallback, log);
      (async () => {
        const id = parseIdentifier(request.getDataset()?.getElements() ?? {});
        const locations = await access.retrievable(this.accessContext(), 'download', await locateForRetrieve(catalog, id, this.retrieveOptions('C-GET')), { op: 'C-GET' });
        const files = await toStoreFiles(store, locations);
        const ops = new SubOperations(files.length);
        // C-GET sends the instances back over the same association, one C-STORE at a time.
        for (const f of files) {
          const status = await this.storeOverThisAssociation(f);
          ops.record(f.sopInstanceUid, status);
          if (ops.pendingDue()) this.sendPending(request, ops.fill(CGetResponse.fromRequest(request), false));
        }
        callback([ops.fill(CGetResponse.fromRequest(request), true)]);
      })().catch((e) => {
        log.warn({ err: e.message, callingAe: this.callingAe, issuers: e instanceof AmbiguousPatientError ? e.issuers : undefined }, 'C-GET failed');
        callback([failure(CGetResponse.fromRequest(request), queryFailureStatus(e), commentOf(e))]);
      });
    }

    /** The calling AE's default issuer for an ambiguous Patient ID, and the log line that says it was applied. */
    private retrieveOptions(op: string): RetrievePatientOptions {
      return {
        defaultIssuer: defaultIssuerFor(cfg, this.callingAe),
        onDefaultIssuer: (applied, ambiguousAmong) =>
          log.info(
            { callingAe: this.callingAe, patient: describeSelector(applied), ambiguousAmong },
            `${op}: Patient ID without issuer is held by several issuers; applied the calling AE's default issuer`,
          ),
      };
    }

    /**
     * dcmjs-dimse's response callback may be called once per request, which suits C-FIND but not a
     * long C-MOVE/C-GET whose SCU expects pending responses as sub-operations complete (and may
     * time out without them). Interim pendings therefore go out directly on the request's context.
     */
    private sendPending(request: any, response: any): void {
      const context = this.association.getAcceptedPresentationContextFromRequest(request);
      if (context) (this as any)._sendDimse({ context, command: response });
    }

    /** Resolves with the peer's C-STORE status, or null if no accepted context could carry the object. */
    private storeOverThisAssociation(f: StoreFile): Promise<number | null> {
      return new Promise((resolve) => {
        const req = storeRequest(f);
        if (!this.association.getAcceptedPresentationContextFromRequest(req)) return resolve(null);
        req.on('response', (res: any) => resolve(res.getStatus()));
        this.sendRequests(req);
      });
    }

    abort(): void {
      log.debug({ callingAe: this.callingAe }, 'association aborted by peer');
    }
  };
}
