import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { connectTemporalClient } from './temporal-connection';

export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

@Global()
@Module({
  providers: [{ provide: TEMPORAL_CLIENT, inject: [KRYPTON_CONFIG], useFactory: (cfg: KryptonConfig) => connectTemporalClient(cfg) }],
  exports: [TEMPORAL_CLIENT],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}
