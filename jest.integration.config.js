process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const swc = base.transform['^.+\\.(t|j)sx?$'];
// cookie@2 (used by fastify's inject) and jose 6 ship ESM only; jest's CommonJS runtime needs them transformed.
const NODE_TRANSFORM_IGNORE = ['/node_modules/(?!(cookie|jose)/)'];

/** Integration tests: a real Elasticsearch (plain HTTP and secured HTTPS) and the DreamFactory simulator. */
module.exports = {
  displayName: 'integration',
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.(m|c)js$': swc },
  testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
  transformIgnorePatterns: NODE_TRANSFORM_IGNORE,
  // The `@shared/*` alias of tsconfig.node.json.
  moduleNameMapper: { '^@shared/(.*)$': '<rootDir>/src/shared/$1' },
  globalSetup: '<rootDir>/tests/integration/global-setup.ts',
  globalTeardown: '<rootDir>/tests/integration/global-teardown.ts',
  testTimeout: 120000,
  // One ES node is shared; suites use their own index prefixes so they can run side by side.
  maxWorkers: 2,
};
