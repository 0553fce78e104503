import { Module } from '@nestjs/common';
import { ConfigModule, KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { CatalogModule } from '@krypton/catalog';
import { TemporalModule } from '@krypton/temporal';
import { AcquisitionService } from './acquisition.service';
import { AcquisitionStore } from './acquisition.store';
import { ExamAccessStore } from './exam-access.store';
import { PathwayStore } from './pathway.store';
import { ReadingService } from './reading.service';
import { ReadingStore } from './reading.store';
import { EquivalentExamFinder } from './equivalent-exams';
import { ProcedureCatalogue } from './procedure-catalogue';
import { PROCEDURE_CATALOGUE, RequestService } from './request.service';
import { RequestStore } from './request.store';
import { MppsBacklogStore } from './mpps-backlog.store';
import { MppsStore } from './mpps.store';
import { WorklistStore } from './worklist.store';
import { PriorStore } from './prior.store';

const catalogueProvider = {
  provide: PROCEDURE_CATALOGUE,
  inject: [KRYPTON_CONFIG],
  // Loaded once at start-up: a bad catalogue stops the process with the entry named.
  useFactory: (cfg: KryptonConfig) => ProcedureCatalogue.load(cfg.requests.procedureCatalogue),
};

/**
 * The database side only (stores and the catalogue), for the worker's pathway activities: the
 * worker needs no Temporal client of its own for them.
 */
@Module({
  imports: [ConfigModule, CatalogModule],
  providers: [catalogueProvider, RequestStore, PathwayStore, AcquisitionStore, ReadingStore, ExamAccessStore, PriorStore, MppsBacklogStore],
  exports: [PROCEDURE_CATALOGUE, RequestStore, PathwayStore, AcquisitionStore, ReadingStore, ExamAccessStore, PriorStore, MppsBacklogStore],
})
export class RequestsStoreModule {}

/** RequestService for the doors (api, hl7-gateway): importing this module is enough. */
@Module({
  imports: [ConfigModule, RequestsStoreModule, TemporalModule],
  providers: [RequestService, AcquisitionService, ReadingService, EquivalentExamFinder],
  exports: [RequestService, AcquisitionService, ReadingService, EquivalentExamFinder, RequestsStoreModule],
})
export class RequestsModule {}

/**
 * The modality side of the pathway for the DICOM gateway: the worklist it answers from and the
 * performed steps it records. The gateway keeps only the DIMSE handling; the rows are the pathway's.
 * Needs the process's QueueModule (global) for the acquisition queue.
 */
@Module({
  imports: [ConfigModule],
  providers: [WorklistStore, MppsStore],
  exports: [WorklistStore, MppsStore],
})
export class ModalityStepsModule {}
