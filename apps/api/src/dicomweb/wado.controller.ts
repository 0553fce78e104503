import { Controller, Get, Inject, Logger, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InstanceLocation, InstanceMetadataStore, KeptMetadata } from '@krypton/catalog';
import { AccessAction, KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { Access, AccessService } from '@krypton/access';
import { isValidUid } from '@krypton/dicom-codec';
import { BufferPool } from '@krypton/storage';
import { requireExam } from '../common/access-http';
import { BadParameterError, DicomwebError, ResourceNotFoundError } from './dicomweb-errors';
import { DicomwebExceptionFilter } from './dicomweb-exception.filter';
import { DicomwebStoreService, InstanceScope } from './dicomweb-store.service';
import { DICOMWEB_BASE_PATH, DicomwebUrls, requestOrigin } from './dicomweb-urls';
import { binaryAt, binaryChunks, DcmjsDict, encodeBulkPath, PIXEL_DATA_TAG, toDicomJson } from './dicom-json';
import { encapsulatedFrames, FrameLayoutError, nativeFrames, parseFrameList, pixelLayout } from './frames';
import { INLINE_BINARY_MAX_BYTES } from './dicomweb-limits';
import { NATIVE_TRANSFER_SYNTAXES, negotiateBulk, negotiateFrames, negotiateInstances, negotiateJson } from './media-types';
import { OutgoingPart, sendJsonArray, sendMultipart } from './multipart-response';
import { readAhead, WADO_READ_AHEAD } from './read-ahead';

/** Objects above this size are streamed from the primary store rather than read whole ahead of the socket. */
const WHOLE_READ_MAX_BYTES = 16 * 1024 * 1024;
/** The buffers instances are read into, for every answer of this process: as much as the read-ahead holds, and a little more for what the socket is writing. */
const WADO_BUFFERS = new BufferPool(1024 * 1024, WADO_READ_AHEAD.maxBytes + 16 * 1024 * 1024);

const INSTANCE = 'studies/:study/series/:series/instances/:instance';

/** The part type of a multipart answer is the media type of its parts without parameters. */
const bareType = (contentType: string) => contentType.split(';')[0].trim();

/**
 * WADO-RS (PS3.18 10.4): instances as stored, or transcoded losslessly when the client names a
 * transfer syntax (see negotiateInstances); metadata as DICOM JSON read from the stored files,
 * frames and bulk data cut from them.
 */
@ApiTags('dicomweb')
@ApiBearerAuth()
@UseFilters(DicomwebExceptionFilter)
@Controller(DICOMWEB_BASE_PATH)
export class WadoController {
  constructor(
    private readonly files: DicomwebStoreService,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly access: AccessService,
    private readonly kept: InstanceMetadataStore,
  ) {}

  private readonly log = new Logger('WADO-RS');

  /**
   * Everything WADO-RS serves belongs to a study, the report Encapsulated PDFs filed in it
   * included: decided once on the study. What the caller may not see answers 404 as if absent.
   */
  private async mayRead(req: Request, action: AccessAction, scope: InstanceScope): Promise<void> {
    for (const [name, uid] of [
      ['study', scope.study],
      ['series', scope.series],
      ['instance', scope.instance],
    ] as const) {
      if (uid !== undefined && !isValidUid(uid)) throw new BadParameterError(name, `"${uid}" is not a valid DICOM UID`);
    }
    await requireExam(this.access, req, action, 'study', { studyUid: scope.study }, () => new ResourceNotFoundError('study', scope.study), {
      series: scope.series,
      instance: scope.instance,
    });
  }

  @Access('study', 'download', { instance: true })
  @Get('studies/:study')
  @ApiOperation({ summary: 'WADO-RS: retrieve a study (multipart/related; type="application/dicom")' })
  @ApiProduces('multipart/related; type="application/dicom"')
  retrieveStudy(@Param('study') study: string, @Req() req: Request, @Res() res: Response) {
    return this.retrieve({ study }, req, res);
  }

  @Access('study', 'download', { instance: true })
  @Get('studies/:study/series/:series')
  @ApiOperation({ summary: 'WADO-RS: retrieve a series' })
  @ApiProduces('multipart/related; type="application/dicom"')
  retrieveSeries(@Param('study') study: string, @Param('series') series: string, @Req() req: Request, @Res() res: Response) {
    return this.retrieve({ study, series }, req, res);
  }

  @Access('study', 'download', { instance: true })
  @Get(INSTANCE)
  @ApiOperation({ summary: 'WADO-RS: retrieve an instance' })
  @ApiProduces('multipart/related; type="application/dicom"')
  retrieveInstance(@Param('study') study: string, @Param('series') series: string, @Param('instance') instance: string, @Req() req: Request, @Res() res: Response) {
    return this.retrieve({ study, series, instance }, req, res);
  }

  @Access('study', 'read-metadata', { instance: true })
  @Get('studies/:study/metadata')
  @ApiOperation({ summary: 'WADO-RS: metadata of every instance of a study (DICOM JSON, bulk data by URI)' })
  @ApiProduces('application/dicom+json')
  studyMetadata(@Param('study') study: string, @Req() req: Request, @Res() res: Response) {
    return this.metadata({ study }, req, res);
  }

  @Access('study', 'read-metadata', { instance: true })
  @Get('studies/:study/series/:series/metadata')
  @ApiOperation({ summary: 'WADO-RS: metadata of every instance of a series' })
  @ApiProduces('application/dicom+json')
  seriesMetadata(@Param('study') study: string, @Param('series') series: string, @Req() req: Request, @Res() res: Response) {
    return this.metadata({ study, series }, req, res);
  }

  @Access('study', 'read-metadata', { instance: true })
  @Get(`${INSTANCE}/metadata`)
  @ApiOperation({ summary: 'WADO-RS: metadata of an instance' })
  @ApiProduces('application/dicom+json')
  instanceMetadata(@Param('study') study: string, @Param('series') series: string, @Param('instance') instance: string, @Req() req: Request, @Res() res: Response) {
    return this.metadata({ study, series, instance }, req, res);
  }

  @Access('study', 'read-pixels', { instance: true })
  @Get(`${INSTANCE}/frames/:frames`)
  @ApiOperation({ summary: 'WADO-RS: frames (1-based, comma-separated), uncompressed as octet streams or compressed as stored' })
  @ApiProduces('multipart/related; type="application/octet-stream"')
  async frames(
    @Param('study') study: string,
    @Param('series') series: string,
    @Param('instance') instance: string,
    @Param('frames') list: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const wanted = parseFrameList(list);
    if (!wanted) throw new BadParameterError('frames', `"${list}" is not a comma-separated list of frame numbers from 1`);
    await this.mayRead(req, 'read-pixels', { study, series, instance });
    const [loc] = await this.files.locate({ study, series, instance });
    const partType = negotiateFrames(req.get('accept'), loc.transferSyntaxUid);
    const frames = await this.pixelFrames(loc);
    const missing = wanted.filter((n) => n > frames.length);
    if (missing.length) throw new ResourceNotFoundError('frame', missing.join(','), `instance ${instance} (${frames.length} frame(s))`);
    await sendMultipart(
      res,
      bareType(partType),
      wanted.map((n) => ({ headers: { 'Content-Type': partType, 'Content-Length': frames[n - 1].length }, body: frames[n - 1] })),
    );
  }

  @Access('study', 'read-pixels', { instance: true })
  @Get(`${INSTANCE}/bulk/:path`)
  @ApiOperation({ summary: 'WADO-RS: bulk data named by a BulkDataURI of the metadata' })
  @ApiProduces('multipart/related; type="application/octet-stream"')
  async bulk(
    @Param('study') study: string,
    @Param('series') series: string,
    @Param('instance') instance: string,
    @Param('path') path: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = negotiateBulk(req.get('accept'));
    await this.mayRead(req, 'read-pixels', { study, series, instance });
    const [loc] = await this.files.locate({ study, series, instance });
    const parsed = await this.files.read(loc);
    const found = binaryAt(parsed.dict as DcmjsDict, path);
    if (!found) throw new ResourceNotFoundError('bulk data', path, `instance ${instance}`);
    let parts: Buffer[];
    let contentType = 'application/octet-stream';
    if (path === PIXEL_DATA_TAG && !NATIVE_TRANSFER_SYNTAXES.has(loc.transferSyntaxUid)) {
      // Encapsulated pixel data: one part per frame, labelled with the syntax it is compressed in.
      parts = await this.pixelFrames(loc, parsed);
      contentType = `application/octet-stream; transfer-syntax=${loc.transferSyntaxUid}`;
    } else {
      parts = [Buffer.concat(binaryChunks(found.value))];
    }
    if (form === 'single') {
      if (parts.length !== 1) throw new DicomwebError(406, 'this bulk data has several frames; accept multipart/related', 'Accept');
      res.status(200).type('application/octet-stream').send(parts[0]);
      return;
    }
    await sendMultipart(
      res,
      'application/octet-stream',
      parts.map((p) => ({ headers: { 'Content-Type': contentType, 'Content-Length': p.length }, body: p })),
    );
  }

  /**
   * The instances as stored, or transcoded when the client asked for another syntax. Access is
   * decided (and audited) once for the request, the locations come from one query, and the files
   * are read ahead of the socket (readAhead); each is written whole with its part headers, not
   * parsed. An object above WHOLE_READ_MAX_BYTES on the primary store is streamed instead.
   */
  private async retrieve(scope: InstanceScope, req: Request, res: Response): Promise<void> {
    await this.mayRead(req, 'download', scope);
    const locs = await this.files.locate(scope);
    const target = negotiateInstances(
      req.get('accept'),
      locs.map((l) => l.transferSyntaxUid),
    );
    const urls = this.urls(req);
    const files = this.files;
    const part = async (l: InstanceLocation): Promise<OutgoingPart> => {
      const location = urls.instance(l.studyUid, l.seriesUid, l.sopInstanceUid);
      if (target && target !== l.transferSyntaxUid) {
        const body = await files.transcoded(l, target);
        return { headers: { 'Content-Type': `application/dicom; transfer-syntax=${target}`, 'Content-Length': body.length, 'Content-Location': location }, body };
      }
      const type = `application/dicom; transfer-syntax=${l.transferSyntaxUid}`;
      if (l.fileSize > WHOLE_READ_MAX_BYTES && (await files.onPrimary(l))) {
        return { headers: { 'Content-Type': type, 'Content-Length': l.fileSize, 'Content-Location': location }, body: () => files.stream(l) };
      }
      // From whichever tier holds it (decompressed from the archive's copy), so its length is the bytes'.
      let buffer: Buffer | undefined;
      const body = await files.bytes(l, (size) => (buffer = WADO_BUFFERS.take(size)));
      const written = buffer ? () => WADO_BUFFERS.give(buffer!) : undefined;
      return { headers: { 'Content-Type': type, 'Content-Length': body.length, 'Content-Location': location }, body, written };
    };
    await sendMultipart(
      res,
      'application/dicom',
      readAhead(locs, part, (l) => Math.min(l.fileSize, WHOLE_READ_MAX_BYTES)),
    );
  }

  /**
   * DICOM JSON of each instance: as kept from an earlier request (InstanceMetadataStore: one query,
   * no file read), else parsed from its file (its first bytes when they suffice), read and parsed
   * ahead of the socket, and kept once the answer is sent.
   */
  private async metadata(scope: InstanceScope, req: Request, res: Response): Promise<void> {
    const contentType = negotiateJson(req.get('accept'));
    await this.mayRead(req, 'read-metadata', scope);
    const locs = await this.files.locate(scope);
    const urls = this.urls(req);
    const kept = await this.kept.find(
      locs.map((l) => l.sopInstanceUid),
      urls.base,
    );
    const files = this.files;
    const computed: { version: KeptMetadata['version']; json: string }[] = [];
    const text = async (l: InstanceLocation): Promise<string> => {
      const k = kept.get(l.sopInstanceUid);
      if (k?.json) return k.json;
      const parsed = await files.attributes(l);
      const out = toDicomJson(parsed.dict as DcmjsDict, {
        inlineMaxBytes: INLINE_BINARY_MAX_BYTES,
        uriFor: (p) => urls.bulk(l.studyUid, l.seriesUid, l.sopInstanceUid, encodeBulkPath(p)),
      });
      // Clients pick a decoder from this before they fetch frames (OHIF does).
      out['00083002'] = { vr: 'UI', Value: [l.transferSyntaxUid] };
      const json = JSON.stringify(out);
      if (k) computed.push({ version: k.version, json });
      return json;
    };
    await sendJsonArray(
      res,
      contentType,
      readAhead(locs, text, (l) => (kept.get(l.sopInstanceUid)?.json ? 0 : Math.min(l.fileSize, WHOLE_READ_MAX_BYTES))),
    );
    // After the answer: keeping is an optimisation, its failure only costs the next request a parse.
    if (computed.length) this.kept.save(urls.base, computed).catch((e) => this.log.warn(`metadata not kept: ${(e as Error).message}`));
  }

  private async pixelFrames(loc: InstanceLocation, parsed?: Awaited<ReturnType<DicomwebStoreService['read']>>): Promise<Buffer[]> {
    const p = parsed ?? (await this.files.read(loc));
    const pixels = (p.dict as DcmjsDict)[PIXEL_DATA_TAG];
    if (!pixels) throw new ResourceNotFoundError('frame', 'any', `instance ${loc.sopInstanceUid}, which has no pixel data`);
    const layout = pixelLayout(p.dataset);
    try {
      return NATIVE_TRANSFER_SYNTAXES.has(loc.transferSyntaxUid) ? nativeFrames(pixels.Value, layout) : encapsulatedFrames(pixels.Value, layout.numberOfFrames);
    } catch (e) {
      if (e instanceof FrameLayoutError) throw new DicomwebError(500, `instance ${loc.sopInstanceUid}: ${e.message}`);
      throw e;
    }
  }

  private urls(req: Request): DicomwebUrls {
    return new DicomwebUrls(requestOrigin(this.cfg.http.publicUrl, req));
  }
}
