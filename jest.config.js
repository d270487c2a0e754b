/**
 * Two projects: `sqlite` runs every test; `postgresql` runs the database-backed ones again on a
 * real PostgreSQL (a database per test file). Pure unit tests need no second run.
 */
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
};

module.exports = {
  globalSetup: '<rootDir>/tests/support/global-setup.js',
  projects: [
    { ...base, displayName: 'sqlite', testMatch: ['<rootDir>/tests/**/*.test.ts'], globals: { TEST_DB: 'sqlite' } },
    { ...base, displayName: 'postgresql', testMatch: ['<rootDir>/tests/{integration,db}/**/*.test.ts'], globals: { TEST_DB: 'postgresql' } },
  ],
};
