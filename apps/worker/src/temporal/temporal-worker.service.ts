import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { CatalogService, ForwardJobService } from '@krypton/catalog';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { OBJECT_STORE, ObjectStore } from '@krypton/storage';
import { createCatalogActivities } from '@krypton/activities/study';
import { createForwardActivities } from '@krypton/activities/routing';
import { createDoseAlertActivities } from '@krypton/activities/dose';
import { createPathwayActivities, reportSigner, resultSender } from '@krypton/activities/pathway';
import { PathwayStore, PROCEDURE_CATALOGUE, ProcedureCatalogue, RequestStore } from '@krypton/pathway';
import { createResearchActivities } from '@krypton/activities/research';
import { researchExtractor, ResearchProjectStore } from '@krypton/research';
import { ReportService } from '@krypton/reports';
import { loadOruTemplate } from '@krypton/hl7';
import { DoseAlertStore } from '@krypton/dose-registry';
import { startHeartbeat } from '@krypton/queue';
import { workflowSource } from './workflow-source';

let runtimeInstalled = false;

/**
 * Runs the Temporal worker inside the Nest application: activities are built from factories that
 * take the injected services. If the worker stops (lost connection, fatal error) the process
 * exits, so the supervisor restarts it instead of a worker that reports healthy while idle.
 */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('TemporalWorker');
  private worker?: Worker;
  private running?: Promise<void>;
  private stopHeartbeat?: () => Promise<void>;

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly catalog: CatalogService,
    private readonly jobs: ForwardJobService,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    private readonly doseAlerts: DoseAlertStore,
    private readonly pathways: PathwayStore,
    private readonly requests: RequestStore,
    @Inject(PROCEDURE_CATALOGUE) private readonly procedures: ProcedureCatalogue,
    private readonly reports: ReportService,
    private readonly research: ResearchProjectStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!runtimeInstalled) {
      runtimeInstalled = true;
      Runtime.install({ logger: new DefaultLogger(this.cfg.log.level === 'debug' ? 'INFO' : 'WARN') });
    }
    const connection = await NativeConnection.connect({ address: this.cfg.temporal.address });
    this.worker = await Worker.create({
      connection,
      namespace: this.cfg.temporal.namespace,
      taskQueue: this.cfg.temporal.taskQueue,
      maxCachedWorkflows: this.cfg.temporal.maxCachedWorkflows,
      ...(await workflowSource()),
      activities: {
        ...createCatalogActivities(this.catalog),
        ...createForwardActivities({ cfg: this.cfg, catalog: this.catalog, jobs: this.jobs, store: this.store }),
        ...createDoseAlertActivities(this.doseAlerts),
        ...createResearchActivities(this.research, researchExtractor(this.cfg, this.research, this.store)),
        ...createPathwayActivities({
          cfg: this.cfg,
          store: this.pathways,
          requests: this.requests,
          procedures: this.procedures,
          reports: reportSigner(this.cfg, this.requests, this.reports),
          // Compiled at start-up: a broken oru.hbs stops the worker with the file named.
          results: resultSender(this.cfg, this.requests, this.reports, loadOruTemplate(this.cfg.hl7.templatesDir)),
        }),
      },
    });
    this.running = this.worker.run().catch((e) => {
      this.log.error(`Temporal worker stopped: ${e.message}`);
      process.exit(1);
    });
    this.stopHeartbeat = startHeartbeat(this.cfg.redis.url, 'worker', () => this.worker?.getState() === 'RUNNING');
    this.log.log(`Temporal worker polling ${this.cfg.temporal.taskQueue} at ${this.cfg.temporal.address}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopHeartbeat?.();
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running;
  }
}
