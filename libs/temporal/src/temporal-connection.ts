import { Client, Connection } from '@temporalio/client';
import type { KryptonConfig } from '@krypton/config';

/** Opens a client connection; fails fast so that a process without Temporal does not report healthy. */
export async function connectTemporalClient(cfg: KryptonConfig): Promise<Client> {
  const connection = await Connection.connect({ address: cfg.temporal.address, connectTimeout: '5s' });
  return new Client({ connection, namespace: cfg.temporal.namespace });
}
