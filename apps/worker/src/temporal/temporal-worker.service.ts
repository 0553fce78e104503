import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { CatalogService, ForwardJobService } from '@krypton/catalog';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { OBJECT_STORE, ObjectStore } from '@krypton/storage';
import { createCatalogActivities } from '@krypton/activities/study';
import { createForwardActivities, createRoutingActivities } from '@krypton/activities/routing';
import { createDoseAlertActivities } from '@krypton/activities/dose';
import { createPathwayActivities, reportSigner, resultSender } from '@krypton/activities/pathway';
import { createPriorsActivities } from '@krypton/activities/priors';
import { PatientOppositionStore } from '@krypton/access';
import { destinationTaskQueue } from '@krypton/workflows/routing';
import { routingDestinations } from '@krypton/config';
import { initializeTranscoding } from '@krypton/dicom-network';
import { ProtocolStore, RoutingDecisionStore, StorageCommitmentStore, StudyFactsReader } from '@krypton/routing';
import { AcquisitionStore, PathwayStore, PriorStore, PROCEDURE_CATALOGUE, ProcedureCatalogue, RequestStore } from '@krypton/pathway';
import { SharingService } from '@krypton/sharing';
import { createResearchActivities } from '@krypton/activities/research';
import { researchExtractor, ResearchProjectStore } from '@krypton/research';
import { createArchiveActivities } from '@krypton/activities/archive';
import { ArchiveService } from '@krypton/archive';
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
  private destinationWorkers: Worker[] = [];
  private running?: Promise<void>;
  private stopHeartbeat?: () => Promise<void>;

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly catalog: CatalogService,
    private readonly jobs: ForwardJobService,
    private readonly commitments: StorageCommitmentStore,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    private readonly doseAlerts: DoseAlertStore,
    private readonly pathways: PathwayStore,
    private readonly requests: RequestStore,
    @Inject(PROCEDURE_CATALOGUE) private readonly procedures: ProcedureCatalogue,
    private readonly reports: ReportService,
    private readonly research: ResearchProjectStore,
    private readonly protocols: ProtocolStore,
    private readonly facts: StudyFactsReader,
    private readonly decisions: RoutingDecisionStore,
    private readonly archive: ArchiveService,
    private readonly priors: PriorStore,
    private readonly opposition: PatientOppositionStore,
    private readonly acquisition: AcquisitionStore,
    private readonly sharing: SharingService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!runtimeInstalled) {
      runtimeInstalled = true;
      Runtime.install({ logger: new DefaultLogger(this.cfg.log.level === 'debug' ? 'INFO' : 'WARN') });
    }
    const connection = await NativeConnection.connect({ address: this.cfg.temporal.address });
    // The codecs' WebAssembly takes seconds to compile on a loaded machine: not on a routing's clock.
    void initializeTranscoding().catch((e) => this.log.warn(`transcoding codecs not loaded: ${e.message}`));
    const forward = createForwardActivities({ cfg: this.cfg, catalog: this.catalog, jobs: this.jobs, commitments: this.commitments, store: this.store });
    // Each destination's sending activities run on a queue of their own whose slots are the
    // destination's cap: however many studies are routed to it, at most maxAssociations at once,
    // and a slow destination never takes the slots of another.
    this.destinationWorkers = await Promise.all(
      routingDestinations(this.cfg).map((d) =>
        Worker.create({
          connection,
          namespace: this.cfg.temporal.namespace,
          taskQueue: destinationTaskQueue(this.cfg.temporal.taskQueue, d.name),
          activities: forward,
          maxConcurrentActivityTaskExecutions: d.maxAssociations ?? 2,
        }),
      ),
    );
    this.worker = await Worker.create({
      connection,
      namespace: this.cfg.temporal.namespace,
      taskQueue: this.cfg.temporal.taskQueue,
      maxCachedWorkflows: this.cfg.temporal.maxCachedWorkflows,
      ...(await workflowSource()),
      activities: {
        ...createCatalogActivities(this.catalog),
        ...forward,
        ...createRoutingActivities({
          cfg: this.cfg,
          protocols: this.protocols,
          facts: this.facts,
          decisions: this.decisions,
          opposition: this.opposition,
          jobs: this.jobs,
          exams: this.acquisition,
          shares: this.sharing,
        }),
        ...createDoseAlertActivities(this.doseAlerts),
        ...createResearchActivities(this.research, researchExtractor(this.cfg, this.research, this.store)),
        ...createArchiveActivities(this.archive),
        ...createPriorsActivities({ cfg: this.cfg, priors: this.priors, requests: this.requests, opposition: this.opposition }),
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
    this.running = Promise.all([this.worker.run(), ...this.destinationWorkers.map((w) => w.run())])
      .then(() => undefined)
      .catch((e) => {
        this.log.error(`Temporal worker stopped: ${e.message}`);
        process.exit(1);
      });
    this.stopHeartbeat = startHeartbeat(this.cfg.redis.url, 'worker', () => this.worker?.getState() === 'RUNNING');
    this.log.log(`Temporal worker polling ${this.cfg.temporal.taskQueue} at ${this.cfg.temporal.address}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopHeartbeat?.();
    for (const w of [this.worker, ...this.destinationWorkers]) if (w && w.getState() === 'RUNNING') w.shutdown();
    await this.running;
  }
}
