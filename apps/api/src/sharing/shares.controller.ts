import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Access, accessContext } from '@krypton/access';
import { ShareRecipient, SharingService } from '@krypton/sharing';
import { NewShareDto, ShareQueryDto } from './share.dto';
import { sharingCall } from './sharing-http-errors';

/** Exactly one recipient kind, exactly one of study and patient: checked here, naming the field. */
function recipientOf(body: NewShareDto): ShareRecipient {
  const given = (['rpps', 'site', 'organisation'] as const).filter((k) => body.to?.[k] !== undefined);
  if (given.length !== 1) throw new UnprocessableEntityException({ message: 'to: exactly one of rpps, site, organisation', field: 'to' });
  const k = given[0];
  return { [k]: body.to[k] as string } as ShareRecipient;
}

/**
 * Sharing exams with professionals, sites and organisations (issue #11). A share is a grant the
 * decision point honours on every door; revoking it closes the exam on the recipient's next
 * request. The recipient is told by e-mail (queued, retried by the worker).
 */
@ApiTags('sharing')
@ApiBearerAuth()
@Controller()
export class SharesController {
  constructor(private readonly sharing: SharingService) {}

  @Post('shares')
  @HttpCode(201)
  @Access('sharing', 'write', { instance: true })
  @ApiOperation({
    summary: 'Share a study, or every exam of a patient the caller may share, with an RPPS, a site or an organisation (FINESS); view or download rights; refused (409) when the patient objects',
  })
  create(@Body() body: NewShareDto, @Req() req: Request) {
    const to = recipientOf(body);
    if (!!body.studyInstanceUid === !!body.patient) throw new UnprocessableEntityException({ message: 'studyInstanceUid or patient: exactly one of the two', field: 'studyInstanceUid' });
    return sharingCall(() =>
      this.sharing.create(accessContext(req), {
        studyInstanceUid: body.studyInstanceUid,
        patient: body.patient,
        to,
        rights: body.rights,
        expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
        message: body.message,
      }),
    );
  }

  @Delete('shares/:id')
  @Access('sharing', 'write', { instance: true })
  @ApiOperation({ summary: 'Revoke a share at once (its maker or an administrator): the recipient loses access on their next request' })
  revoke(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string, @Req() req: Request) {
    return sharingCall(() => this.sharing.revoke(accessContext(req), id));
  }

  @Post('shares/:id/notify')
  @HttpCode(202)
  @Access('sharing', 'write', { instance: true })
  @ApiOperation({
    summary:
      "Send a share's notification again after it failed for good (relay down past sharing.mail.retry.giveUpAfterHours, or never queued): its maker or an administrator; a notification already sent is not sent twice",
  })
  renotify(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string, @Req() req: Request) {
    return sharingCall(() => this.sharing.renotify(accessContext(req), id));
  }

  @Get('shares')
  @Access('sharing', 'search', { instance: true })
  @ApiOperation({ summary: 'The shares of a study (whoever may read it), or those the caller made; newest first' })
  list(@Query() q: ShareQueryDto, @Req() req: Request) {
    return sharingCall(() => this.sharing.list(accessContext(req), { studyInstanceUid: q.studyInstanceUid, limit: q.limit ?? 100, offset: q.offset ?? 0 }));
  }
}
