import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, AccessService } from '@krypton/access';
import { AuditService } from '@krypton/audit';
import { patientAccessLog } from '../../access/patient-access-log';
import { ConsoleExceptionFilter } from '../console-exception.filter';
import { ConsolePages } from '../console-pages.service';
import type { ConsoleRequest } from '../console-request';

/** The patient's screens: the same decisions and audit as `GET /me/...`, rendered for a person. */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/patient')
export class PatientConsoleController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  @Get('access-log')
  @Access('audit', 'search', { instance: true })
  async accessLog(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const entries = await patientAccessLog(this.access, this.audit, req, { limit: 200 }, 'console/patient/access-log');
    this.pages.page(req, res, 'patient/access-log', { entries, empty: entries.length === 0 }, { titleKey: 'patient.accessLog.title' });
  }
}
