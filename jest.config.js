// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
// d3-color >= 3.1.1 ships only .mjs, which the scaffold's transform does not match.
const swc = base.transform['^.+\\.(t|j)sx?$'];
// cookie@2 (used by fastify's inject) and jose 6 ship ESM only; jest's CommonJS runtime needs them transformed.
const NODE_TRANSFORM_IGNORE = ['/node_modules/(?!(cookie|jose)/)'];
const transform = { '^.+\\.(t|j)sx?$': swc, '^.+\\.(m|c)js$': swc };
// The `@shared/*` alias of tsconfig.json / tsconfig.node.json.
const moduleNameMapper = { ...base.moduleNameMapper, '^@shared/(.*)$': '<rootDir>/src/shared/$1' };

/** Pure and component tests: fast, no external processes. */
module.exports = {
  projects: [
    { ...base, displayName: 'plugin', transform, moduleNameMapper, rootDir: __dirname },
    {
      displayName: 'proxy',
      rootDir: __dirname,
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: [
        '<rootDir>/proxy/**/*.test.ts',
        '<rootDir>/tests/proxy/**/*.test.ts',
        '<rootDir>/tests/dreamfactory-sim/**/*.test.ts',
        '<rootDir>/tests/splunk-hec/**/*.test.ts',
        '<rootDir>/tests/reliability/**/*.test.ts',
        // Grafana's rules as the harness plays them (datasource proxy, provisioning).
        '<rootDir>/tests/browser/shim/**/*.test.ts',
        '<rootDir>/tests/support/**/*.test.ts',
        '<rootDir>/scripts/**/*.test.ts',
      ],
      transformIgnorePatterns: NODE_TRANSFORM_IGNORE,
    },
  ],
};
