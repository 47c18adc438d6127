// The end-to-end suite: black-box tests in e2e/ against a deployment (BASE_URL) or one they start.
// Serial on purpose: scenarios share a deployment when BASE_URL is set, and chaos is global.
const base = require('./jest.config.cjs');

module.exports = {
  ...base,
  roots: ['<rootDir>/e2e'],
  testMatch: ['**/*.e2e.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
