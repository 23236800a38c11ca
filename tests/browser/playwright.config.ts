/**
 * The browser harness suite (runs in CI, no Grafana needed): Debian Chromium drives the BUILT plugin inside a
 * Grafana-like host page, against a real Elasticsearch, the DreamFactory simulator and the real proxy.
 *   npm run build && npm run test:browser
 * Screenshots of every page land in tests/browser/out/screenshots (CI artifacts).
 */
import { defineConfig, devices } from '@playwright/test';
import { systemChromium } from './chromium';

export default defineConfig({
  testDir: __dirname,
  testMatch: /.*\.spec\.ts$/,
  outputDir: `${__dirname}/out/test-results`,
  globalSetup: require.resolve('./global-setup'),
  // One worker: the specs share one simulated DreamFactory, and the machine is small.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    ...devices['Desktop Chrome'],
    viewport: { width: 1400, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: systemChromium(),
  },
});
