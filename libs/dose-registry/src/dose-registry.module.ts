import { Module } from '@nestjs/common';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { DoseAlertOpener } from './alerts/dose-alert-opener';
import { DoseAlertStore } from './alerts/dose-alert.store';
import { ExhaustivenessService } from './analysis/exhaustiveness.service';
import { ImageQualityService } from './analysis/image-quality.service';
import { PatientHistoryService } from './analysis/patient-history.service';
import { NRD_TABLE, ProtocolStatsService } from './analysis/protocol-stats.service';
import { DoseIngestService } from './dose-ingest.service';
import { DoseRegistryService } from './dose-registry.service';
import { NrdTable } from './nrd/nrd-table';

/**
 * The dose registry's services. Relies on the global Config, Catalog (TypeORM), Storage and
 * Temporal modules of the app. The NRD table is loaded when the module starts, so a bad table or
 * mapping stops the process with a message naming the entry.
 */
@Module({
  providers: [
    { provide: NRD_TABLE, inject: [KRYPTON_CONFIG], useFactory: (cfg: KryptonConfig) => NrdTable.load(cfg.dose.nrdTable, cfg.dose.protocolMapping) },
    DoseRegistryService,
    DoseIngestService,
    DoseAlertStore,
    DoseAlertOpener,
    PatientHistoryService,
    ExhaustivenessService,
    ProtocolStatsService,
    ImageQualityService,
  ],
  exports: [NRD_TABLE, DoseRegistryService, DoseIngestService, DoseAlertStore, PatientHistoryService, ExhaustivenessService, ProtocolStatsService, ImageQualityService],
})
export class DoseRegistryModule {}
