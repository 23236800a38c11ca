/**
 * Shared fixtures: the harness URL from global setup, a session per Grafana role (`?role=` sets the shim's session
 * cookie), a screenshot helper writing to out/screenshots, and a guard failing any test whose page threw.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, Page } from '@playwright/test';
import type { OrgRole } from './shim/routes';

export const APP_PATH = '/a/dreamfactory-insights-app';
export const DS_UID = 'dreamfactory-insights';
export const DS_PROXY = `/api/datasources/proxy/uid/${DS_UID}`;
const SCREENSHOT_DIR = join(__dirname, 'out', 'screenshots');

interface HarnessFixtures {
  /** Opens `path` signed in with `role` (default Admin). */
  gotoAs: (path: string, role?: OrgRole) => Promise<void>;
  /** Saves a full-page screenshot as out/screenshots/<name>.png. */
  shot: (name: string) => Promise<void>;
  pageErrors: string[];
}

export const test = base.extend<HarnessFixtures>({
  baseURL: async ({}, use) => {
    const url = process.env.HARNESS_URL;
    if (!url) {
      throw new Error(
        'HARNESS_URL is not set: run these specs with `npm run test:browser` (its global setup starts the stack)'
      );
    }
    await use(url);
  },
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await use(errors);
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
  gotoAs: async ({ page }, use) => {
    await use(async (path, role = 'Admin') => {
      await page.goto(`${path}${path.includes('?') ? '&' : '?'}role=${role}`);
    });
  },
  shot: async ({ page }, use) => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await use(async (name) => {
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    });
  },
});

/** An HTTP call from inside the page, as the plugin makes it (same origin, the session cookie). */
export async function pageFetch(
  page: Page,
  method: string,
  url: string,
  body?: unknown
): Promise<{ status: number; json: unknown }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const response = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, json };
    },
    { method, url, body }
  );
}

export { expect };
