import { Module } from '@nestjs/common';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { IngestModule } from '@krypton/ingest';
import { loadReportTemplate } from './report-renderer';
import { REPORT_RENDERER, ReportService } from './report.service';
import { ReportStore } from './report.store';

const rendererProvider = {
  provide: REPORT_RENDERER,
  inject: [KRYPTON_CONFIG],
  // Compiled and dry-run once at start-up: a broken template stops the process, naming the file.
  useFactory: (cfg: KryptonConfig) => loadReportTemplate(cfg.reports.templatesDir),
};

/**
 * ReportService for the worker's signing activity (and the API's reads). Needs the global
 * ConfigModule, CatalogModule (TypeORM data source), StorageModule and QueueModule in the
 * importing app, like IngestModule, which it imports.
 */
@Module({
  imports: [IngestModule],
  providers: [rendererProvider, ReportStore, ReportService],
  exports: [ReportService, ReportStore],
})
export class ReportsModule {}
