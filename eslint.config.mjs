import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

// Every lint run prints "[@stylistic/eslint-plugin-ts] This package is deprecated …": @grafana/eslint-config 9 loads that
// plugin, which announces its own deprecation. @grafana/eslint-config 10 moves to the unified @stylistic/eslint-plugin;
// upgrading is a separate change (new rule set), so the line stays until then.

/** What crosses the wire is imported by name from src/shared, never by climbing to it. */
const sharedByAlias = {
  regex: '^(\\.\\./)+(.*/)?src/shared(/|$)',
  message: 'Import src/shared through the alias: @shared/<module>.',
};
/** Inside the plugin, `../shared/…` is the same climb. */
const sharedByAliasInPlugin = {
  regex: '^(\\.\\./)+shared(/|$)',
  message: 'Import src/shared through the alias: @shared/<module>.',
};
/** Both the browser bundle and the proxy import src/shared, so it needs nothing but itself (no Node, React, HTTP). */
const sharedIsPure = {
  regex: '^(?!\\./)',
  message: 'src/shared is pure: import only its own modules (./…).',
};
/**
 * The DreamFactory simulator is the oracle the product is tested against: sharing a validator, parser or message table
 * with the product would let a wrong rule pass on both sides, so it imports nothing from src/ or proxy/.
 */
const simulatorIsIndependent = {
  regex: '(^|/)(src|proxy)(/|$)|^@(shared|proxy)(/|$)',
  message: 'The simulator must not share code with the product it checks (src/, proxy/).',
};
/** The proxy ships without the test tree: fixtures it needs live next to it, tests that need the simulator in tests/. */
const proxyNotFromTests = {
  regex: '^(\\.\\./)+(.*/)?tests(/|$)',
  message: 'proxy/src must not import from tests/: move the test to tests/proxy/ or give it its own fixture.',
};

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      '**/artifacts/',
      '**/ci/',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
      '.cache/',
      'dist-proxy/',
      'tests/browser/out/',
    ],
  },
  ...baseConfig,
  {
    // The scaffold lints only src/; the proxy, the tests, benchmarks and scripts are held to the same rules.
    files: ['proxy/**/*.ts', 'tests/**/*.{ts,tsx}', 'bench/**/*.ts', 'scripts/**/*.ts', '*.ts'],
  },
  // Seams. Flat config replaces a rule's options per file rather than merging them, so each block below repeats the
  // base config's `moment` ban and the wider blocks' patterns.
  {
    files: ['src/**/*.{ts,tsx}', 'proxy/**/*.ts', 'tests/**/*.{ts,tsx}', 'bench/**/*.ts', 'scripts/**/*.ts', '*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['moment'], patterns: [sharedByAlias] }] },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/shared/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['moment'], patterns: [sharedByAlias, sharedByAliasInPlugin] }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['moment'], patterns: [sharedIsPure] }] },
  },
  {
    files: ['proxy/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['moment'], patterns: [sharedByAlias, proxyNotFromTests] }] },
  },
  {
    files: ['tests/dreamfactory-sim/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['moment'], patterns: [simulatorIsIndependent] }] },
  },
]);
