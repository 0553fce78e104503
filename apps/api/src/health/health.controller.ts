import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@krypton/auth';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: '200 when PostgreSQL, Redis, Temporal, a worker, a DICOM gateway and an HL7 gateway are all up; 503 naming what is not. Reports the ingest backlog per stage (ingestBacklog).',
  })
  async get(@Res() res: Response): Promise<void> {
    const report = await this.health.report();
    res.status(report.status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK).json(report);
  }
}
