/** Unit tests sit beside the code (*.spec.ts); integration suites live in test/ (*.e2e-spec.ts). */
// Order matters: the contract and activity aliases before the libraries' catch-all.
const moduleNameMapper = {
  '^@krypton/workflows/(.*)$': '<rootDir>/workflows/$1/contract',
  '^@krypton/activities/(.*)$': '<rootDir>/activities/$1',
  '^@krypton/([^/]+)/migrations$': '<rootDir>/libs/$1/src/migrations',
  '^@krypton/(.*)$': '<rootDir>/libs/$1/src',
};
/*
 * jose (and the OIDC libraries built on it) ship ES modules only. Node 20.19+ loads them from
 * CommonJS by itself, but Jest runs its own module loader: they are transpiled to CommonJS here.
 */
const ESM_PACKAGES = ['jose', 'openid-client', 'oauth4webapi'];
const transform = {
  '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  [`^.+/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } }],
};
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`];
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/{apps,libs,workflows,activities}/**/*.spec.ts'],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
