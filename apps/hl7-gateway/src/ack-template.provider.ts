import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { compileAckTemplate } from '@krypton/hl7';

export const ACK_RENDERER = Symbol('ACK_RENDERER');

/** Compiled once at start-up: a missing or broken template stops the gateway before it listens. */
export const ackRendererProvider = {
  provide: ACK_RENDERER,
  inject: [KRYPTON_CONFIG],
  useFactory: (cfg: KryptonConfig) => {
    const file = resolve(cfg.hl7.templatesDir, 'ack.hbs');
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`hl7.templatesDir: cannot read ${file} (${e.message})`);
    }
    return compileAckTemplate(source);
  },
};
