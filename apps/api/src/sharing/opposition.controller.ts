import { Body, Controller, Get, Param, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Access, accessContext } from '@krypton/access';
import { OppositionService } from '@krypton/sharing';
import { OppositionDto } from './share.dto';
import { sharingCall } from './sharing-http-errors';

/** A patient's opposition to sharing (RGPD, CSP L.1110-4): stated by the patient, or recorded by an administrator or the DPO. */
@ApiTags('sharing')
@ApiBearerAuth()
@Controller('patients/:patient/opposition')
export class OppositionController {
  constructor(private readonly opposition: OppositionService) {}

  @Get()
  @Access('sharing', 'read-metadata', { instance: true })
  @ApiParam({ name: 'patient', description: 'INS (15 digits) or issuer|patientId (URL-encoded)' })
  @ApiOperation({ summary: 'Whether the patient objects to sharing (the patient themselves, an administrator or the DPO)' })
  get(@Param('patient') patient: string, @Req() req: Request) {
    return sharingCall(() => this.opposition.get(accessContext(req), patient));
  }

  @Put()
  @Access('sharing', 'write', { instance: true })
  @ApiParam({ name: 'patient', description: 'INS (15 digits) or issuer|patientId (URL-encoded)' })
  @ApiOperation({ summary: 'Set or lift the opposition: set, every share and link of the patient stops working at once and new ones are refused (409); break-the-glass still passes' })
  set(@Param('patient') patient: string, @Body() body: OppositionDto, @Req() req: Request) {
    return sharingCall(() => this.opposition.set(accessContext(req), patient, body.opposed, body.reason ?? null));
  }
}
