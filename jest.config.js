/**
 * Two projects: `sqlite` runs every test; `postgresql` runs the database-backed ones again on a
 * real PostgreSQL (a database per test file). Pure unit tests need no second run.
 */
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  // Global only: jest ignores testTimeout inside a project.
  testTimeout: 60000,
  globalSetup: '<rootDir>/tests/support/global-setup.js',
  projects: [
    { ...base, displayName: 'sqlite', testMatch: ['<rootDir>/tests/**/*.test.ts'], globals: { TEST_DB: 'sqlite' } },
    { ...base, displayName: 'postgresql', testMatch: ['<rootDir>/tests/{integration,db}/**/*.test.ts'], globals: { TEST_DB: 'postgresql' } },
  ],
};
