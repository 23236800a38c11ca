/**
 * Launch options for Debian's Chromium (Playwright's own browser download is unavailable here: never run
 * `playwright install`), shared by the harness suite and the Grafana e2e suite. CHROMIUM_PATH overrides the path.
 */
import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Undefined where there is no system Chromium, so Playwright falls back to a browser of its own. */
export function systemChromium(): LaunchOptions | undefined {
  const executablePath =
    process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  return executablePath ? { executablePath, args: ARGS } : undefined;
}
