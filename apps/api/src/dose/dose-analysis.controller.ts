import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access } from '@krypton/access';
import { ExhaustivenessService, ImageQualityService, ProtocolStatsService, STATISTICS_CSV_COLUMNS, statisticsCsvRows, toCsv } from '@krypton/dose-registry';
import { AnalysisQueryDto, ExhaustivenessQueryDto, StatisticsQueryDto, TrendQueryDto } from './dose-query.dto';

@ApiTags('dose')
@ApiBearerAuth()
@Access('dose-analysis', 'search')
@Controller('dose')
export class DoseAnalysisController {
  constructor(
    private readonly stats: ProtocolStatsService,
    private readonly exhaustiveness: ExhaustivenessService,
    private readonly quality: ImageQualityService,
  ) {}

  @Get('statistics')
  @ApiOperation({ summary: 'Per device × protocol: count, median and 75th percentile of CTDIvol, DLP, DAP, AGD; median against the NRD' })
  @ApiProduces('application/json', 'text/csv')
  async statistics(@Query() q: StatisticsQueryDto, @Res({ passthrough: true }) res: Response) {
    const rows = await this.stats.statistics(q);
    if (q.format !== 'csv') return rows;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="dose-statistics.csv"');
    return toCsv(STATISTICS_CSV_COLUMNS, statisticsCsvRows(rows));
  }

  @Get('statistics/trend')
  @ApiOperation({ summary: 'Monthly medians of one device × protocol, oldest month first' })
  async trend(@Query() q: TrendQueryDto) {
    return this.stats.trend(q.device, q.protocol ?? null, q);
  }

  @Get('exhaustiveness')
  @ApiOperation({ summary: 'Exams of CT/XA/RF/DX/CR/MG/NM/PT with no dose data after the delay, per site and device: counts, rate and list' })
  async missing(@Query() q: ExhaustivenessQueryDto) {
    return this.exhaustiveness.report({ site: q.site, delayHours: q.delayHours, limit: q.limit ?? 200 });
  }

  @Get('image-quality')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Exposure index, target EI and deviation index per device × protocol; under- and over-exposed counts beside the DAP' })
  async imageQuality(@Query() q: AnalysisQueryDto) {
    return this.quality.byProtocol(q);
  }
}
