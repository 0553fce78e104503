import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import * as dimse from 'dcmjs-dimse';
import { PinoLogger } from 'nestjs-pino';
import { CatalogService } from '@krypton/catalog';
import { StorageCommitmentStore } from '@krypton/routing';
import { KRYPTON_CONFIG, KryptonConfig, tlsServerOptions } from '@krypton/config';
import { IngestService } from '@krypton/ingest';
import { startHeartbeat } from '@krypton/queue';
import { OBJECT_STORE, ObjectStore } from '@krypton/storage';
import { createScpClass } from './scp/association/krypton-scp';
import { MppsStore, WorklistStore } from '@krypton/pathway';
import { DimseAccess } from './scp/association/dimse-access';
import { AccessService } from '@krypton/access';

// dcmjs-dimse logs every PDU at info through loglevel; the hub logs what matters itself.
dimse.log.setLevel(process.env.DIMSE_LOG_LEVEL === 'debug' ? 'debug' : 'silent');

/** Runs the DIMSE listener for the lifetime of the gateway process. */
@Injectable()
export class DimseServerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly servers: any[] = [];
  private stopHeartbeat?: () => Promise<void>;

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly catalog: CatalogService,
    private readonly commitments: StorageCommitmentStore,
    private readonly ingest: IngestService,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    private readonly worklist: WorklistStore,
    private readonly mpps: MppsStore,
    private readonly access: AccessService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('DimseServer');
  }

  onApplicationBootstrap(): void {
    const Scp = createScpClass({
      cfg: this.cfg,
      catalog: this.catalog,
      ingest: this.ingest,
      store: this.store,
      worklist: this.worklist,
      mpps: this.mpps,
      commitments: this.commitments,
      access: new DimseAccess(this.access, this.cfg),
      log: this.logger.logger,
    });
    // Timeouts (ARTIM, idle) and PDU limits are the hub's receive layer's (scp/association/receive-layer.ts).
    this.listen(Scp, this.cfg.dicom.port, {});
    const tls = this.cfg.dicom.tls;
    // DICOM TLS (PS3.15 Annex B) on its own port: dcmjs-dimse's Server takes Node TLS options.
    if (tls) this.listen(Scp, tls.port, { securityOptions: tlsServerOptions(tls, 'dicom.tls') });
    this.stopHeartbeat = startHeartbeat(this.cfg.redis.url, 'gateway');
    this.logger.info({ port: this.cfg.dicom.port, tlsPort: tls?.port, aeTitle: this.cfg.dicom.aeTitle }, 'DICOM gateway listening');
  }

  private listen(Scp: unknown, port: number, options: Record<string, unknown>): void {
    const server = new dimse.Server(Scp as any);
    server.on('networkError', (e: Error) => this.logger.debug({ port, err: e.message }, 'DIMSE network error'));
    server.listen(port, options);
    this.servers.push(server);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopHeartbeat?.();
    for (const server of this.servers) server.close();
  }
}
