/** Unit tests sit beside the code (*.spec.ts); integration suites live in test/ (*.e2e-spec.ts). */
// Order matters: the contract and activity aliases before the libraries' catch-all.
const moduleNameMapper = {
  '^@krypton/workflows/(.*)$': '<rootDir>/workflows/$1/contract',
  '^@krypton/activities/(.*)$': '<rootDir>/activities/$1',
  '^@krypton/([^/]+)/migrations$': '<rootDir>/libs/$1/src/migrations',
  '^@krypton/(.*)$': '<rootDir>/libs/$1/src',
};
const transform = { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] };
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/{apps,libs,workflows,activities}/**/*.spec.ts'],
      moduleNameMapper,
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      moduleNameMapper,
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
