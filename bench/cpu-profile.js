/**
 * Preloaded (--require) into the hub's processes by `BENCH_CPU_PROFILE=<dir> npm run bench:<x>`:
 * the first SIGWINCH (not SIGUSR2: Nest's shutdown hooks take that one) starts the V8 CPU profiler, the next stops it and writes
 * <dir>/<app>-<pid>.cpuprofile (then <app>-<pid>-2.cpuprofile... for the next windows, as
 * bench:ingest takes one per phase; open it in Chrome DevTools or speedscope, or sum it with
 * bench/summarise-cpuprofile.ts). A signal, not
 * --cpu-prof, so that the profile covers only the benchmark's timed part and is written although
 * the app is stopped by SIGTERM.
 */
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.KRYPTON_CPU_PROFILE_DIR;
const app = /apps\/([^/]+)\/src\/main/.exec(process.argv.join(' '))?.[1];
if (dir && app) {
  const session = new Session();
  session.connect();
  let running = false;
  let windows = 0;
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 250 }, () => session.post('Profiler.start')));
      return;
    }
    running = false;
    session.post('Profiler.stop', (err, result) => {
      windows++;
      if (!err) writeFileSync(join(dir, `${app}-${process.pid}${windows > 1 ? `-${windows}` : ''}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
