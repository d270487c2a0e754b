/**
 * Three projects: `sqlite` runs every test but the browser's; `postgresql` runs the database-backed
 * ones again on a real PostgreSQL (a database per test file; pure unit tests need no second run);
 * `browser` drives the IDE in headless Chromium.
 */
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  // Global only: jest ignores testTimeout inside a project.
  testTimeout: 60000,
  // Test files in two worker processes (2 cores), each recycled past 1.5 GB: in band, one process
  // kept every file's module registry and grew past 5 GB, each file slower than the last.
  maxWorkers: 2,
  workerIdleMemoryLimit: '1500MB',
  globalSetup: '<rootDir>/tests/support/global-setup.js',
  projects: [
    { ...base, displayName: 'sqlite', testMatch: ['<rootDir>/tests/**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/browser/'], globals: { TEST_DB: 'sqlite' } },
    // Headless Chromium over the whole graph on SQLite (skipped without /usr/bin/chromium, except in CI).
    { ...base, displayName: 'browser', testMatch: ['<rootDir>/tests/browser/**/*.test.ts'], globals: { TEST_DB: 'sqlite' } },
    {
      ...base,
      displayName: 'postgresql',
      testMatch: ['<rootDir>/tests/{integration,db}/**/*.test.ts'],
      // What the gateway, identity, limits and the role matrix decide is the same code on either
      // driver and runs once, on SQLite; PostgreSQL runs what depends on the database (persistence,
      // SQL and statement counts, events, the audit store, screening, search). The CPU of a full
      // graph per file on 2 cores keeps CI under 30 minutes only this way.
      testPathIgnorePatterns: [
        '/node_modules/',
        ...['access-matrix', 'push', 'limits', 'inputs', 'fuzz', 'identity', 'identity-cache', 'telemetry', 'lifecycle', 'supergraph-join', 'failed-fetch', 'metrics', 'joint-audit', 'graph', 'subgraph-client', 'uploads', 'department-system', 'funds'].map(
          (name) => `<rootDir>/tests/integration/${name}\\.test\\.ts$`,
        ),
      ],
      globals: { TEST_DB: 'postgresql' },
    },
  ],
};
