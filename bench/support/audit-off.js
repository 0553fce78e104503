/**
 * Preloaded into a hub process by `bench:access` (NODE_OPTIONS=--require) to measure what the
 * audit costs ingest: AuditSpool.write resolves at once and writes nothing, in that process only.
 * The hub has no such switch: an access is audited or refused. Plain JavaScript because it loads
 * before ts-node; it patches the class whichever module exports it first (the lib or its index).
 */
const Module = require('node:module');
const load = Module._load;
Module._load = function loadAndPatch(...args) {
  const exported = load.apply(this, args);
  const spool = exported && exported.AuditSpool;
  if (typeof spool === 'function' && !spool.benchAuditOff) {
    spool.prototype.write = () => Promise.resolve();
    spool.benchAuditOff = true;
  }
  return exported;
};
