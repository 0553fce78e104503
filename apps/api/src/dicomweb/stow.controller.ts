import { Controller, Inject, Logger, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { Access, accessContext, AccessContext, AccessService } from '@krypton/access';
import { isValidUid } from '@krypton/dicom-codec';
import { IngestService } from '@krypton/ingest';
import { BadParameterError, PayloadTooLargeError, UnsupportedMediaTypeError, warningHeader } from './dicomweb-errors';
import { DicomwebExceptionFilter } from './dicomweb-exception.filter';
import { DICOMWEB_BASE_PATH, DicomwebUrls, requestOrigin } from './dicomweb-urls';
import { MAX_STOW_PART_BYTES, MAX_STOW_REQUEST_BYTES } from './dicomweb-limits';
import { negotiateJson, parseMediaType } from './media-types';
import { sendJson } from './multipart-response';
import { isValidBoundary, MultipartLimitError, MultipartPart, MultipartSyntaxError, readMultipart } from './multipart-related';
import { failureReason, PartOutcome, StudyMismatchError, StudyNotWritableError, stowResponse, UnsupportedPartError, UnsupportedTransferSyntaxError } from './stow-response';

/** At most this many per-part Warning lines; the response body lists every failure anyway. */
const MAX_WARNINGS = 20;

/**
 * STOW-RS (PS3.18 10.5). Every part goes through IngestService, the hub's one way in, so an
 * object is acknowledged only once it is on disk and queued for indexing, as over DIMSE.
 */
@ApiTags('dicomweb')
@ApiBearerAuth()
@UseFilters(DicomwebExceptionFilter)
@Controller(DICOMWEB_BASE_PATH)
export class StowController {
  private readonly log = new Logger('STOW-RS');

  constructor(
    private readonly ingest: IngestService,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly access: AccessService,
  ) {}

  @Access('study', 'write', { instance: true })
  @Post('studies')
  @ApiOperation({ summary: 'STOW-RS: store instances (multipart/related; type="application/dicom")' })
  @ApiConsumes('multipart/related')
  @ApiProduces('application/dicom+json')
  storeAny(@Req() req: Request, @Res() res: Response) {
    return this.store(req, res);
  }

  @Access('study', 'write', { instance: true })
  @Post('studies/:study')
  @ApiOperation({ summary: 'STOW-RS: store instances of one study; parts of another study are refused' })
  @ApiConsumes('multipart/related')
  @ApiProduces('application/dicom+json')
  storeInStudy(@Param('study') study: string, @Req() req: Request, @Res() res: Response) {
    if (!isValidUid(study)) throw new BadParameterError('study', `"${study}" is not a valid DICOM UID`);
    return this.store(req, res, study);
  }

  private async store(req: Request, res: Response, studyUid?: string): Promise<void> {
    const contentType = req.get('content-type') ?? '';
    const ct = parseMediaType(contentType);
    if (ct?.type !== 'multipart/related') throw new UnsupportedMediaTypeError(contentType, 'STOW-RS takes multipart/related');
    if (ct.params.type && ct.params.type !== 'application/dicom') {
      throw new UnsupportedMediaTypeError(contentType, 'only type="application/dicom" is supported (not DICOM JSON/XML with bulk data)');
    }
    const boundary = ct.params.boundary;
    if (!boundary || !isValidBoundary(boundary)) throw new BadParameterError('Content-Type', 'a valid boundary parameter is required');
    const declared = Number(req.get('content-length'));
    if (declared > MAX_STOW_REQUEST_BYTES) throw new PayloadTooLargeError(MAX_STOW_REQUEST_BYTES);
    const answerType = negotiateJson(req.get('accept'));

    const outcomes: PartOutcome[] = [];
    const actx = accessContext(req);
    // One decision (and audit record) per study of the request, whatever its number of parts.
    const writable = new Map<string, Promise<void>>();
    const mayWrite = (uid: string) => {
      if (!writable.has(uid)) writable.set(uid, this.mayWrite(actx, uid));
      return writable.get(uid)!;
    };
    try {
      for await (const part of readMultipart(req, boundary, { maxTotalBytes: MAX_STOW_REQUEST_BYTES, maxPartBytes: MAX_STOW_PART_BYTES })) {
        outcomes.push(await this.storePart(part, studyUid, mayWrite));
      }
    } catch (e) {
      if (e instanceof MultipartLimitError) throw new PayloadTooLargeError(e.limitBytes, outcomes.filter((o) => o.ok).length);
      if (!(e instanceof MultipartSyntaxError)) throw e;
      if (outcomes.length === 0) throw new BadParameterError('body', e.message);
      // What was stored stays stored; the unreadable rest is reported as one failure.
      outcomes.push({ ok: false, reason: failureReason(e), message: e.message });
    }
    if (outcomes.length === 0) throw new BadParameterError('body', 'the request holds no part');
    // The uploader's site becomes the stored studies' origin site (no calling AE says it), then one audit record.
    const stored = outcomes.flatMap((o) => (o.ok ? [o.studyUid] : []));
    await this.access.recordOrigin(stored, actx.subject.kind === 'user' ? (actx.subject.sites[0] ?? null) : null);
    await this.access.record(actx, {
      action: 'write',
      outcome: 'allowed',
      resourceType: 'study',
      studies: stored,
      reason: 'STOW-RS upload',
      detail: { parts: outcomes.length, stored: outcomes.filter((o) => o.ok).length },
    });

    const answer = stowResponse(outcomes, new DicomwebUrls(requestOrigin(this.cfg.http.publicUrl, req)), studyUid);
    if (answer.warnings.length) {
      const shown = answer.warnings.slice(0, MAX_WARNINGS);
      if (answer.warnings.length > shown.length) shown.push(`${answer.warnings.length - shown.length} more failure(s), see FailedSOPSequence`);
      res.setHeader('Warning', shown.map(warningHeader));
    }
    sendJson(res, answer.status, answerType, answer.body);
  }

  /**
   * A new study may be uploaded by whoever may write studies (the guard checked the role); an
   * exam that exists — in the catalogue or as a request — only by who may write that exam: the
   * uploader's site would otherwise become one of its origins and open it to them. A study being
   * received elsewhere and not yet indexed is not known here (indexing is asynchronous).
   */
  private async mayWrite(actx: AccessContext, uid: string): Promise<void> {
    const d = await this.access.authorizeExam(actx, 'write', 'study', { studyUid: uid }, { door: 'STOW-RS' });
    if (d.facts && !d.allowed) throw new StudyNotWritableError(uid, d.reason);
  }

  private async storePart(part: MultipartPart, studyUid: string | undefined, mayWrite: (uid: string) => Promise<void>): Promise<PartOutcome> {
    let sopClassUid: string | undefined;
    let sopInstanceUid: string | undefined;
    try {
      const type = parseMediaType(part.headers['content-type']);
      if (type && type.type !== 'application/dicom') throw new UnsupportedPartError(type.type);
      // One read of the part (IngestService's): the record it yields names the study, checked before storing.
      const r = await this.ingest.ingest({
        chunks: [part.body],
        sourceAe: null,
        check: async (rec, transferSyntaxUid) => {
          sopClassUid = rec.sopClassUid;
          sopInstanceUid = rec.sopInstanceUid;
          const accepted = this.cfg.ingest.stowTransferSyntaxes;
          if (accepted && !accepted.includes(transferSyntaxUid)) throw new UnsupportedTransferSyntaxError(transferSyntaxUid);
          if (studyUid && rec.studyUid !== studyUid) throw new StudyMismatchError(studyUid, rec.studyUid);
          await mayWrite(rec.studyUid);
        },
      });
      return { ok: true, studyUid: r.record.studyUid, seriesUid: r.record.seriesUid, sopClassUid: r.record.sopClassUid, sopInstanceUid: r.record.sopInstanceUid };
    } catch (e) {
      const reason = failureReason(e);
      if (reason === 0x0110) this.log.error(`part ${part.index}: ${e?.message ?? e}`, e?.stack);
      return { ok: false, reason, message: `part ${part.index + 1}: ${e?.message ?? e}`, sopClassUid, sopInstanceUid };
    }
  }
}
