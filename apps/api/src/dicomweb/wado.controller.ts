import { Controller, Get, Inject, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InstanceLocation } from '@krypton/catalog';
import { AccessAction, KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { Access, AccessService } from '@krypton/access';
import { isValidUid } from '@krypton/dicom-codec';
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
  ) {}

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

  private async retrieve(scope: InstanceScope, req: Request, res: Response): Promise<void> {
    await this.mayRead(req, 'download', scope);
    const locs = await this.files.locate(scope);
    const target = negotiateInstances(
      req.get('accept'),
      locs.map((l) => l.transferSyntaxUid),
    );
    const urls = this.urls(req);
    const files = this.files;
    async function* parts(): AsyncIterable<OutgoingPart> {
      for (const l of locs) {
        const location = urls.instance(l.studyUid, l.seriesUid, l.sopInstanceUid);
        if (target && target !== l.transferSyntaxUid) {
          const body = await files.transcoded(l, target);
          yield { headers: { 'Content-Type': `application/dicom; transfer-syntax=${target}`, 'Content-Length': body.length, 'Content-Location': location }, body };
        } else if (await files.onPrimary(l)) {
          const headers = { 'Content-Type': `application/dicom; transfer-syntax=${l.transferSyntaxUid}`, 'Content-Length': l.fileSize, 'Content-Location': location };
          yield { headers, body: () => files.stream(l) };
        } else {
          // On the archive tier: read (and decompressed) whole, so its length is known.
          const body = await files.bytes(l);
          yield { headers: { 'Content-Type': `application/dicom; transfer-syntax=${l.transferSyntaxUid}`, 'Content-Length': body.length, 'Content-Location': location }, body };
        }
      }
    }
    await sendMultipart(res, 'application/dicom', parts());
  }

  private async metadata(scope: InstanceScope, req: Request, res: Response): Promise<void> {
    const contentType = negotiateJson(req.get('accept'));
    await this.mayRead(req, 'read-metadata', scope);
    const locs = await this.files.locate(scope);
    const urls = this.urls(req);
    const files = this.files;
    async function* datasets() {
      for (const l of locs) {
        const parsed = await files.read(l);
        const json = toDicomJson(parsed.dict as DcmjsDict, {
          inlineMaxBytes: INLINE_BINARY_MAX_BYTES,
          uriFor: (p) => urls.bulk(l.studyUid, l.seriesUid, l.sopInstanceUid, encodeBulkPath(p)),
        });
        // Clients pick a decoder from this before they fetch frames (OHIF does).
        json['00083002'] = { vr: 'UI', Value: [l.transferSyntaxUid] };
        yield json;
      }
    }
    await sendJsonArray(res, contentType, datasets());
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
