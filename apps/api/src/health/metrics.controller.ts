import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@krypton/auth';
import { IngestBacklogReader } from './ingest-backlog.reader';

/**
 * Prometheus text exposition of the ingest backlog. Written out here rather than through a
 * metrics client: four gauges read on demand, no state to keep between scrapes. Counts only, no
 * patient data, so it is public like /health.
 */
@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly backlog: IngestBacklogReader) {}

  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4')
  @ApiOperation({ summary: 'Prometheus metrics: the ingest backlog per stage' })
  async metrics(): Promise<string> {
    const b = await this.backlog.read();
    // A count whose store is down is left out (Prometheus then sees the series as absent).
    const gauge = (name: string, help: string, v: number | null) => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${v === null ? '' : `${name} ${v}\n`}`;
    return (
      gauge('krypton_ingest_unindexed_objects', 'Objects stored and acknowledged, not yet in the catalogue.', b.unindexed) +
      gauge('krypton_ingest_index_jobs', 'Index jobs waiting, running or waiting to retry.', b.indexJobs) +
      gauge('krypton_ingest_studies_awaiting_stable', 'Studies whose latest instances are not yet handed to their pathway.', b.studiesAwaitingStable) +
      gauge('krypton_ingest_instances_awaiting_dose', 'Dose-bearing instances whose dose is not filed yet.', b.instancesAwaitingDose)
    );
  }
}
