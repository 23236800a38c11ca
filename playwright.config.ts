/**
 * The Grafana-backed e2e suite (tests/e2e, @grafana/plugin-e2e): needs a running Grafana with dist/ and provisioning/
 * mounted (`npm run server`). Run it with `npm run e2e` (tests/e2e/run.ts), which skips in one line without one.
 * The CI browser suite that needs no Grafana is tests/browser (`npm run test:browser`).
 */
import type { PluginOptions } from '@grafana/plugin-e2e';
import { defineConfig, devices } from '@playwright/test';
import { dirname } from 'node:path';
import { systemChromium } from './tests/browser/chromium';

const pluginE2eAuth = `${dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;

export default defineConfig<PluginOptions>({
  testDir: './tests/e2e',
  testMatch: /.*\.spec\.ts$/,
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 2 : 0,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: process.env.GRAFANA_URL || 'http://localhost:3000',
    trace: 'on-first-retry',
    launchOptions: systemChromium(),
  },
  projects: [
    // Logs in to Grafana once and stores the session for the specs.
    { name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/] },
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], storageState: 'playwright/.auth/admin.json' },
      dependencies: ['auth'],
    },
  ],
});
