/**
 * The hub's boundaries, checked by `npm test` (scripts/lint.sh) with dependency-cruiser:
 *
 *   npx depcruise apps libs workflows activities test bench scripts --config .dependency-cruiser.js
 *
 * Workflows are deterministic code bundled for Temporal's sandbox: they import Temporal's workflow
 * API, their own folder and pure libs, nothing else. Code outside workflows/ knows a workflow by
 * its contract (workflows/<process>/contract.ts, alias @krypton/workflows/<process>), activities by
 * their process's entry point (alias @krypton/activities/<process>). Libraries sit below apps,
 * activities and workflows and never import them. No cycles; every package imported is declared.
 */

/** Libraries a workflow may import: deterministic, no I/O, no Node-only modules. None yet. */
const PURE_LIBS = [];
const CONTRACT = '^workflows/[^/]+/contract\\.ts$';
const TESTS = '(\\.spec\\.ts$|^test/|^bench/)';

module.exports = {
  forbidden: [
    {
      name: 'workflow-imports-only-temporal-contracts-and-pure-libs',
      comment: 'A workflow runs in the deterministic sandbox: @temporalio/workflow, its own folder, pure libs. Activity types belong in the contract.',
      severity: 'error',
      from: { path: '^workflows/', pathNot: TESTS },
      to: { pathNot: ['^workflows/', '(^|/)node_modules/@temporalio/workflow/', ...PURE_LIBS.map((l) => `^libs/${l}/`)] },
    },
    {
      name: 'contract-imports-only-temporal',
      comment: 'A contract is what the rest of the hub may know of a workflow: it imports nothing but @temporalio/workflow.',
      severity: 'error',
      from: { path: CONTRACT },
      to: { pathNot: ['(^|/)node_modules/@temporalio/workflow/'] },
    },
    {
      name: 'outside-workflows-only-contracts',
      comment: 'Code outside workflows/ imports a workflow through its contract (@krypton/workflows/<process>), never its implementation.',
      severity: 'error',
      from: { pathNot: '^workflows/' },
      to: { path: '^workflows/', pathNot: CONTRACT },
    },
    {
      name: 'lib-not-to-app-activity-or-workflow-implementation',
      comment: 'Libraries sit below apps, activities and workflows.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: ['^apps/', '^activities/', '^workflows/'], pathNot: CONTRACT },
    },
    {
      name: 'activities-through-their-entry-point',
      comment: 'Apps, tests and benches reach activities by @krypton/activities/<process> (activities/<process>/index.ts).',
      severity: 'error',
      from: { pathNot: '^activities/' },
      to: { path: '^activities/', pathNot: '^activities/[^/]+/index\\.ts$' },
    },
    {
      name: 'activity-not-to-app',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-relative-import-into-another-lib-or-app',
      comment: 'Another lib or app is reached by its alias (@krypton/<lib>), never by ../ into its folder.',
      severity: 'error',
      from: { path: '^(libs|apps|activities)/([^/]+)/' },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased'], path: '^(libs|apps|activities|workflows)/', pathNot: '^$1/$2/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle of runtime imports; type-only imports are erased and do not count.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'declared-packages-only',
      comment: 'Every package imported is declared in package.json.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'unknown', 'undetermined'] },
    },
    {
      name: 'production-code-not-to-dev-dependencies',
      severity: 'error',
      comment: 'Type-only imports (e.g. express types from @types/express) are erased at build time.',
      from: { path: '^(apps|libs|workflows|activities)/', pathNot: ['\\.spec\\.ts$', '/testing/'] },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|data|coverage|bench/out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
