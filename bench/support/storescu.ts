import { spawn } from 'node:child_process';

/**
 * dcmtk storescu of `files` in one association (TCP_NODELAY=1, as the benches send); resolves
 * with its wall time in seconds once it exits 0, rejects with its error output otherwise.
 */
export function storescuTimed(port: number, callingAe: string, calledAe: string, files: readonly string[]): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn('storescu', ['-aet', callingAe, '-aec', calledAe, '127.0.0.1', String(port), ...files], {
      env: { ...process.env, TCP_NODELAY: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - started) / 1e9) : reject(new Error(`storescu to ${calledAe} failed (${code}): ${err.slice(0, 500)}`))));
  });
}
