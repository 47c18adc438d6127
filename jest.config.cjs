// Nest 12 is ESM-only, but jest's ESM mode trips over CommonJS dependencies that require() it in a
// cycle. Tests are therefore compiled to CommonJS by @swc/jest; relative imports name the `.ts` files
// themselves (tsc rewrites them to `.js` when it builds dist/).
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test', '<rootDir>/web/src', '<rootDir>/charts', '<rootDir>/release', '<rootDir>/gameday', '<rootDir>/e2e/support'],
  testMatch: ['**/*.spec.ts'],
  // Dynamic import() stays import(): ESM-only packages with top-level await (Vega) load natively then.
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, module: { ...swc.module, ignoreDynamic: true }, swcrc: false }] },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|pure-rand)/)'],
  testTimeout: 60000,
  maxWorkers: 2,
};
