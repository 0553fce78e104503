// Objects are written and fsynced in libuv's thread pool (FsObjectWriter): an fsync holds a
// thread for a millisecond or more, and each association may have its file's writes, its fsync
// and its directory's fsync waiting at once. libuv's default of 4 threads would queue four
// parallel senders behind each other; read by libuv when the pool first starts, i.e. here.
process.env.UV_THREADPOOL_SIZE ??= '16';
import 'reflect-metadata';
import cluster from 'node:cluster';
import { loadConfig } from '@krypton/config';

/** A process that dies this soon after starting is not restarted in a loop faster than this. */
const RESTART_DELAY_MS = 1000;

async function bootstrap(): Promise<void> {
  // Loaded here, not at the top: a cluster primary never needs Nest, TypeORM or dcmjs in memory.
  const [{ NestFactory }, { Logger }, { GatewayModule }] = await Promise.all([import('@nestjs/core'), import('nestjs-pino'), import('./gateway.module')]);
  const app = await NestFactory.createApplicationContext(GatewayModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // One misbehaving association must not stop the others: log and keep serving.
  const logger = app.get(Logger);
  process.on('unhandledRejection', (e: Error | undefined) => logger.error({ err: e?.message ?? String(e) }, 'unhandled rejection in the DICOM gateway'));
}

/**
 * With `dicom.processes` > 1 this process is a Node cluster primary: it holds the DICOM port and
 * hands connections to its gateway processes in turn (round robin), restarts one that dies (its
 * journal is adopted by the others meanwhile, see IndexOutbox) and stops them all on SIGTERM.
 * One association is served by one process; parallel senders use both cores.
 */
function supervise(processes: number): void {
  let stopping = false;
  const fork = () =>
    cluster.fork().on('exit', (code, signal) => {
      if (stopping) return;
      // eslint-disable-next-line no-console
      console.error(JSON.stringify({ level: 'error', app: 'dicom-gateway', msg: 'gateway process exited, restarting', code, signal }));
      setTimeout(fork, RESTART_DELAY_MS);
    });
  for (let i = 0; i < processes; i++) fork();
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    let left = workers.length;
    if (!left) process.exit(0);
    for (const w of workers) {
      w?.once('exit', () => --left === 0 && process.exit(0));
      w?.process.kill(signal);
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function main(): Promise<void> | void {
  if (cluster.isPrimary) {
    const processes = loadConfig().dicom.processes;
    if (processes > 1) return supervise(processes);
  }
  return bootstrap();
}

Promise.resolve(main()).catch((e) => {
  // eslint-disable-next-line no-console
  console.error(JSON.stringify({ level: 'fatal', app: 'dicom-gateway', msg: e.message }));
  process.exit(1);
});
