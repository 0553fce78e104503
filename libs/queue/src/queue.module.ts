import { Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { ACQUISITION_QUEUE, DOSE_QUEUE, INDEX_QUEUE, SHARE_NOTIFY_QUEUE } from './queue.constants';
import { redisConnection } from './redis-connection';

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [KRYPTON_CONFIG],
      useFactory: (cfg: KryptonConfig) => ({
        connection: redisConnection(cfg.redis.url),
        prefix: 'krypton',
        defaultJobOptions: {
          attempts: 10,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      }),
    }),
    BullModule.registerQueue({ name: INDEX_QUEUE }, { name: DOSE_QUEUE }, { name: ACQUISITION_QUEUE }, { name: SHARE_NOTIFY_QUEUE }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
