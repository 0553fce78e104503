import { Global, Module } from '@nestjs/common';
import { loadConfig } from './config.loader';

/** Injection token of the validated configuration. */
export const KRYPTON_CONFIG = Symbol('KRYPTON_CONFIG');

@Global()
@Module({
  providers: [{ provide: KRYPTON_CONFIG, useFactory: () => loadConfig() }],
  exports: [KRYPTON_CONFIG],
})
export class ConfigModule {}
