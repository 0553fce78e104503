/**
 * Preloaded into the hub's processes by `BENCH_PROFILE_DIR=<dir> npm run bench:ingest`
 * (NODE_OPTIONS=--require): SIGWINCH starts the V8 sampling profiler, the next SIGWINCH writes
 * `<dir>/<phase>-<pid>.cpuprofile` (open it in Chrome DevTools or summarise it with
 * bench/summarise-cpuprofile.ts). The bench signals around each measured phase, so the profile
 * holds the ingest and not the boot. `--cpu-prof` cannot be used: it writes at a clean exit only,
 * and Nest ends a process by re-raising SIGTERM. Not SIGUSR2: Nest's shutdown hooks take it. Plain
 * JavaScript: it loads before ts-node.
 */
'use strict';
const inspector = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_PROFILE_DIR;
const session = new inspector.Session();
session.connect();
let running = false;
let phase = 0;

process.on('SIGWINCH', () => {
  if (!running) {
    running = true;
    session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')));
    return;
  }
  running = false;
  session.post('Profiler.stop', (err, res) => {
    if (!err) writeFileSync(join(dir, `${++phase}-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
  });
});
