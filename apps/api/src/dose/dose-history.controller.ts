import { Controller, Get, NotFoundException, Param, Query, Req, UnprocessableEntityException } from '@nestjs/common';
import type { Request } from 'express';
import { Access, accessContext, AccessService } from '@krypton/access';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { PatientHistoryService } from '@krypton/dose-registry';
import { InvalidPatientKeyError, parsePatientKey } from '@krypton/patient-match';
import { DoseHistoryQueryDto } from './dose-query.dto';

/**
 * A patient's dose history across every site of the region, for whom libs/access allows it
 * (physicists of a site where the patient has dose records, the professionals who may see one of
 * the patient's exams, the patient). Anyone else gets 404, as for an unknown patient.
 */
@ApiTags('dose')
@ApiBearerAuth()
@Controller()
export class DoseHistoryController {
  constructor(
    private readonly history: PatientHistoryService,
    private readonly access: AccessService,
  ) {}

  @Access('dose-record', 'read-metadata', { instance: true })
  @Get('patients/:patientKey/dose-history')
  @ApiOperation({ summary: 'Per-exam dose totals and cumulative figures per modality over rolling windows, across all sites' })
  @ApiParam({
    name: 'patientKey',
    description: 'INS (15 characters) or "issuer|patientId" (URL-encoded); an INS issuer (1.2.250.1.213.1.4.8) makes it an INS. Never a bare Patient ID: local numbers collide between sites.',
  })
  async get(@Param('patientKey') raw: string, @Query() q: DoseHistoryQueryDto, @Req() req: Request) {
    let key;
    try {
      key = parsePatientKey(raw);
    } catch (e) {
      if (e instanceof InvalidPatientKeyError) throw new UnprocessableEntityException(e.message);
      throw e;
    }
    const decision = await this.access.authorizeDose(accessContext(req), 'read-metadata', key, raw);
    if (!decision.allowed) throw new NotFoundException(`patientKey: no patient ${raw} in the catalogue`);
    const found = await this.history.history(key, q.windowMonths);
    if (!found) throw new NotFoundException(`patientKey: no patient ${raw} in the catalogue`);
    return found;
  }
}
