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
  // Two files at a time even on 2 cores (jest's default there is one, in band): the tests wait on
  // HTTP, databases and relays much of the time, and one at a time the suite outgrew 30 minutes.
  maxWorkers: 2,
  globalSetup: '<rootDir>/tests/support/global-setup.js',
  projects: [
    { ...base, displayName: 'sqlite', testMatch: ['<rootDir>/tests/**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/browser/'], globals: { TEST_DB: 'sqlite' } },
    // Headless Chromium over the whole graph on SQLite (skipped without /usr/bin/chromium, except in CI).
    { ...base, displayName: 'browser', testMatch: ['<rootDir>/tests/browser/**/*.test.ts'], globals: { TEST_DB: 'sqlite' } },
    { ...base, displayName: 'postgresql', testMatch: ['<rootDir>/tests/{integration,db}/**/*.test.ts'], globals: { TEST_DB: 'postgresql' } },
  ],
};
