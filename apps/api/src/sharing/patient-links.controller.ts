import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Access, accessContext } from '@krypton/access';
import { PatientLinkService } from '@krypton/sharing';
import { LinkQueryDto, NewLinkDto } from './share.dto';
import { sharingCall } from './sharing-http-errors';

/** Patient links (issue #11): made by whoever may read the exam (the patient too), listed, revoked. */
@ApiTags('sharing')
@ApiBearerAuth()
@Controller('shares/links')
export class PatientLinksController {
  constructor(private readonly links: PatientLinkService) {}

  @Post()
  @HttpCode(201)
  @Access('sharing', 'write', { instance: true })
  @ApiOperation({
    summary:
      'A link for the patient to one exam, expiring and revocable, opened read-only in the viewer after a second factor (birth date, or a code e-mailed to `email`). The answer holds the URL and its QR code (PNG data URL and SVG) once: only a hash of the token is kept',
  })
  create(@Body() body: NewLinkDto, @Req() req: Request) {
    return sharingCall(() =>
      this.links.create(accessContext(req), {
        studyInstanceUid: body.studyInstanceUid,
        secondFactor: body.secondFactor,
        expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
        email: body.email,
      }),
    );
  }

  @Get()
  @Access('sharing', 'search', { instance: true })
  @ApiOperation({ summary: 'A patient\'s own links (no parameter: "my share links"), or the links of a study the caller may read' })
  list(@Query() q: LinkQueryDto, @Req() req: Request) {
    return sharingCall(() => this.links.list(accessContext(req), { studyInstanceUid: q.studyInstanceUid }));
  }

  @Delete(':id')
  @Access('sharing', 'write', { instance: true })
  @ApiOperation({ summary: 'Revoke a link at once (its maker, the patient, or an administrator): an open viewer loses access on its next request' })
  revoke(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string, @Req() req: Request) {
    return sharingCall(() => this.links.revoke(accessContext(req), id));
  }
}
