import { Controller, Get, NotFoundException, Param, Query, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { PatientHistoryService } from '@krypton/dose-registry';
import { InvalidPatientKeyError, parsePatientKey } from '@krypton/patient-match';
import { DoseHistoryQueryDto } from './dose-query.dto';

/**
 * A patient's dose history across every site of the region. Open to any authenticated
 * professional for now: the hub's authorization check (site, patient link, share grant) will
 * plug in at the guard, as for every other patient read.
 */
@ApiTags('dose')
@ApiBearerAuth()
@Controller()
export class DoseHistoryController {
  constructor(private readonly history: PatientHistoryService) {}

  @Get('patients/:patientKey/dose-history')
  @ApiOperation({ summary: 'Per-exam dose totals and cumulative figures per modality over rolling windows, across all sites' })
  @ApiParam({ name: 'patientKey', description: 'INS (15 characters) or "issuer|patientId" (URL-encoded); an INS issuer (1.2.250.1.213.1.4.8) makes it an INS. Never a bare Patient ID: local numbers collide between sites.' })
  async get(@Param('patientKey') raw: string, @Query() q: DoseHistoryQueryDto) {
    let key;
    try {
      key = parsePatientKey(raw);
    } catch (e) {
      if (e instanceof InvalidPatientKeyError) throw new UnprocessableEntityException(e.message);
      throw e;
    }
    const found = await this.history.history(key, q.windowMonths);
    if (!found) throw new NotFoundException(`patientKey: no patient ${raw} in the catalogue`);
    return found;
  }
}
