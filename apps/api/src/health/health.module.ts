import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { IngestBacklogReader } from './ingest-backlog.reader';
import { MetricsController } from './metrics.controller';

/** /health and /metrics, and the HealthService the administrator's console reads too. */
@Module({
  controllers: [HealthController, MetricsController],
  providers: [HealthService, IngestBacklogReader],
  exports: [HealthService, IngestBacklogReader],
})
export class HealthModule {}
