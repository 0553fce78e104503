// ESLint (flat config): JavaScript's and typescript-eslint's recommended rules over the whole
// tree; layout is Prettier's (.prettierrc.json) and the boundaries between folders are
// dependency-cruiser's (.dependency-cruiser.js). `npm test` runs all three (scripts/lint.sh).
const js = require('@eslint/js');
const globals = require('globals');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'bench/out/', '.venv/', 'test/histories/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The code's convention for a value kept for its position or to drop it from a spread: a leading underscore.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // Production code logs through pino (structured); a process that dies before its logger exists says so on stderr by hand.
    files: ['apps/**', 'libs/**', 'workflows/**', 'activities/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // dcmjs and dcmjs-dimse ship no types: their datasets, requests and associations are `any` where
    // the code meets them (the DICOM gateway, the codec and network libs, dose extraction), and tests
    // poke at parsed JSON and DIMSE objects.
    files: ['apps/dicom-gateway/**', 'libs/dicom-codec/**', 'libs/dicom-network/**', 'libs/dose-extraction/**', 'test/**', 'bench/**', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Suites and benches load some modules lazily, where they are needed.
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Plain CommonJS: configuration files and the scripts that must run without ts-node.
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Loaded by the OHIF viewer in the browser.
    files: ['config/ohif/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
);
