import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Access, AccessService } from '@krypton/access';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { PatientHistoryService } from '@krypton/dose-registry';
import { DoseHistoryQueryDto } from './dose-query.dto';
import { patientDoseHistory } from './patient-dose-history';

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
    return patientDoseHistory(this.access, this.history, req, raw, q.windowMonths);
  }
}
