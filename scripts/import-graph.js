#!/usr/bin/env node
/**
 * Counts the imports that cross the project's boundaries, from the code itself, so the numbers of
 * the architecture issue (#9) can be re-measured on any commit:
 *
 *   node scripts/import-graph.js            # summary
 *   node scripts/import-graph.js --list     # and every offending import
 *   node scripts/import-graph.js --with-tests  # count unit specs, test/, bench/ and scripts/ too
 *   node scripts/import-graph.js --mermaid  # the folder-level graph as Mermaid (docs/architecture.md)
 *   node scripts/import-graph.js --tables   # and the tables written outside their owning lib
 *
 * Plain JavaScript on purpose: it runs on an old checkout without ts-node or the repository's own
 * aliases, using only the TypeScript compiler that every checkout has (to parse and resolve the
 * `paths` of tsconfig.json). By default test files (*.spec.ts, test/, bench/) are left out: the
 * boundaries are about production code.
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
const list = process.argv.includes('--list');
const withTests = process.argv.includes('--with-tests');
const mermaid = process.argv.includes('--mermaid');
const tables = process.argv.includes('--tables');
const tsconfig = ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, root);
const options = tsconfig.options;
const host = ts.createCompilerHost(options);

const TOP = ['apps', 'libs', 'workflows', 'activities', ...(withTests ? ['test', 'bench', 'scripts'] : [])];
const files = tsconfig.fileNames.map((f) => path.resolve(f)).filter((f) => TOP.includes(rel(f).split('/')[0]) && (withTests || !/\.(spec|e2e-spec)\.ts$/.test(f)) && !/\.d\.ts$/.test(f));

function rel(f) {
  return path.relative(root, f).split(path.sep).join('/');
}

/** The unit a file belongs to: `libs/x`, `apps/x`, `workflows/x` (or `workflows`), `activities/x` (or `activities`). */
function unitOf(r) {
  const parts = r.split('/');
  if (parts.length <= 2) return parts[0];
  return `${parts[0]}/${parts[1]}`;
}

/** Files of a workflow folder that a workflow may import: its contract and Temporal's own API. */
function isContract(r) {
  return /^workflows\/[^/]+\/contract\.ts$/.test(r) || /^workflows\/[^/]+\/.*\.(types|signals|updates)\.ts$/.test(r);
}

const edges = []; // { from, to (rel path or package), spec, relative }
for (const file of files) {
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const specs = [];
  src.forEachChild(function visit(node) {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? !!node.importClause?.isTypeOnly : node.isTypeOnly;
      specs.push({ spec: node.moduleSpecifier.text, typeOnly });
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      specs.push({ spec: node.arguments[0].text, typeOnly: false });
    }
    node.forEachChild(visit);
  });
  for (const { spec, typeOnly } of specs) {
    const res = ts.resolveModuleName(spec, file, options, host).resolvedModule;
    const target = res && !res.isExternalLibraryImport ? rel(path.resolve(res.resolvedFileName)) : null;
    edges.push({ from: rel(file), to: target, pkg: target ? null : spec, spec, relative: spec.startsWith('.'), typeOnly });
  }
}

const internal = edges.filter((e) => e.to);
const top = (r) => r.split('/')[0];
const METRICS = [
  'libs -> workflows (any file)',
  'libs -> workflow implementation',
  'libs -> apps/activities',
  'workflows -> libs (not pure)',
  'workflows -> outside workflows/',
  'workflows -> packages other than @temporalio/workflow',
  'activities -> workflow implementation',
  'apps -> activities (any)',
  'apps -> activities internals (not the process entry point)',
  'apps -> workflow implementation',
  'relative imports across units (../ into another lib/app/top folder)',
];
const counts = Object.fromEntries(METRICS.map((m) => [m, 0]));
const offenders = Object.fromEntries(METRICS.map((m) => [m, []]));
function count(name, e) {
  counts[name] = (counts[name] || 0) + 1;
  (offenders[name] ||= []).push(`${e.from} -> ${e.spec}`);
}
// Libraries known to be pure (no Nest, TypeORM, sockets, fs): a workflow may import them.
const PURE_LIBS = new Set(['libs/dicom-codec', 'libs/patient-match']);
for (const e of internal) {
  const [ft, tt] = [top(e.from), top(e.to)];
  if (ft === 'libs' && tt === 'workflows') count('libs -> workflows (any file)', e);
  if (ft === 'libs' && tt === 'workflows' && !isContract(e.to)) count('libs -> workflow implementation', e);
  if (ft === 'libs' && (tt === 'apps' || tt === 'activities')) count('libs -> apps/activities', e);
  if (ft === 'workflows' && tt === 'libs' && !PURE_LIBS.has(unitOf(e.to))) count('workflows -> libs (not pure)', e);
  if (ft === 'workflows' && tt !== 'workflows') count('workflows -> outside workflows/', e);
  if (ft === 'apps' && tt === 'activities') count('apps -> activities (any)', e);
  if (ft === 'apps' && tt === 'activities' && !/^activities\/[^/]+\/index\.ts$/.test(e.to)) count('apps -> activities internals (not the process entry point)', e);
  if (ft === 'activities' && tt === 'workflows' && !isContract(e.to)) count('activities -> workflow implementation', e);
  if (ft === 'apps' && tt === 'workflows' && !isContract(e.to)) count('apps -> workflow implementation', e);
  if (e.relative && unitOf(e.from) !== unitOf(e.to) && (ft !== tt || ft === 'libs' || ft === 'apps')) count('relative imports across units (../ into another lib/app/top folder)', e);
}
for (const e of edges.filter((x) => !x.to)) {
  if (top(e.from) === 'workflows' && e.pkg !== '@temporalio/workflow' && !e.pkg.startsWith('node:')) count('workflows -> packages other than @temporalio/workflow', e);
}

// Cycles: strongly connected components of the file graph and of the unit graph.
function sccs(nodes, adj) {
  let index = 0;
  const idx = new Map(),
    low = new Map(),
    on = new Set(),
    stack = [],
    out = [];
  function strong(v) {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of adj.get(v) || []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (adj.get(v) || new Set()).has(v)) out.push(comp);
    }
  }
  for (const n of nodes) if (!idx.has(n)) strong(n);
  return out;
}
const fileAdj = new Map();
const unitAdj = new Map();
for (const e of internal.filter((x) => !x.typeOnly)) {
  if (!fileAdj.has(e.from)) fileAdj.set(e.from, new Set());
  fileAdj.get(e.from).add(e.to);
}
for (const e of internal) {
  const [a, b] = [unitOf(e.from), unitOf(e.to)];
  if (a === b) continue;
  if (!unitAdj.has(a)) unitAdj.set(a, new Set());
  unitAdj.get(a).add(b);
}
const fileCycles = sccs([...new Set(internal.map((e) => e.from))], fileAdj);
const unitCycles = sccs([...unitAdj.keys()], unitAdj);

if (mermaid) {
  printMermaid();
  process.exit(0);
}

/**
 * The folder-level graph (a node per app, lib, workflow process and activity folder; an arrow per
 * folder that imports another, type imports included), grouped by top folder, for the diagram of
 * docs/architecture.md. Generated, so the picture cannot drift from the imports.
 */
function printMermaid() {
  const id = (u) => u.replace(/[^A-Za-z0-9]/g, '_');
  const label = (u) => (u.includes('/') ? u.split('/')[1] : u);
  const units = new Set();
  for (const e of internal) {
    units.add(unitOf(e.from));
    units.add(unitOf(e.to));
  }
  const byTop = {};
  for (const u of [...units].sort()) (byTop[u.split('/')[0]] ||= []).push(u);
  const lines = ['flowchart LR'];
  for (const topName of ['apps', 'activities', 'workflows', 'libs']) {
    if (!byTop[topName]) continue;
    lines.push(`  subgraph ${topName}`);
    for (const u of byTop[topName]) lines.push(`    ${id(u)}["${label(u)}"]`);
    lines.push('  end');
  }
  const arrows = new Set();
  for (const e of internal) {
    const [a, b] = [unitOf(e.from), unitOf(e.to)];
    if (a !== b) arrows.add(`  ${id(a)} --> ${id(b)}`);
  }
  lines.push(...[...arrows].sort());
  console.log(lines.join('\n'));
}

console.log(`files: ${files.length}, internal imports: ${internal.length}`);
for (const [k, v] of Object.entries(counts)) {
  const nfiles = new Set(offenders[k].map((o) => o.split(' -> ')[0])).size;
  console.log(`${k}: ${v} imports in ${nfiles} files`);
  if (list) for (const o of offenders[k]) console.log(`    ${o}`);
}
console.log(`file-level cycles (runtime imports): ${fileCycles.length}`);
if (list) for (const c of fileCycles) console.log(`    ${c.join(' <-> ')}`);
console.log(`unit-level cycles (lib/app/workflow folder, incl. type imports): ${unitCycles.length}`);
for (const c of unitCycles) console.log(`    ${c.join(' <-> ')}`);

if (tables) {
  // Owners: the lib whose migrations create the table. Writes: INSERT/UPDATE/DELETE/TRUNCATE naming
  // it in the SQL text of production code (migrations and testing helpers left out).
  const owner = new Map();
  for (const f of tsconfig.fileNames.filter((x) => /\/src\/migrations\/[^/]+\.ts$/.test(rel(x)))) {
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/CREATE (?:UNLOGGED )?TABLE (?:IF NOT EXISTS )?([a-z0-9_]+)/gi)) owner.set(m[1], unitOf(rel(f)));
  }
  const crossings = [];
  for (const f of files.filter((x) => !/\/(migrations|testing)\//.test(rel(x)))) {
    const text = fs.readFileSync(f, 'utf8');
    for (const [table, lib] of owner) {
      if (unitOf(rel(f)) === lib) continue;
      if (new RegExp(`(INSERT INTO|UPDATE|DELETE FROM|TRUNCATE(?: TABLE)?)\\s+${table}\\b`, 'i').test(text)) crossings.push(`${rel(f)} writes ${table} (owner ${lib})`);
    }
  }
  console.log(`tables written outside their owning lib: ${crossings.length} (of ${owner.size} tables)`);
  for (const c of crossings.sort()) console.log(`    ${c}`);
}
