/** The datasource's own UI from the built bundle: ConfigEditor with "Save & test", and the QueryEditor against real data. */
import type { Page } from '@playwright/test';
import { ACTIVITY_PRESETS, ActivityPreset, QUERY_TYPE_LABELS, QueryType } from '@shared/query';
import { EXPECTED_COLUMNS } from '../e2e/expected-frames';
import { labels, selectors } from '../../src/selectors';
import { APP_PATH, DS_UID, expect, pageFetch, test } from './fixtures';

const CONFIG_PAGE = `/datasources/edit/${DS_UID}`;
const ids = selectors.datasource;

test.describe('datasource ConfigEditor', () => {
  test('shows the settings without the secret, and Save & test reports proxy, Elasticsearch and DreamFactory healthy', async ({
    page,
    gotoAs,
    shot,
  }) => {
    await gotoAs(CONFIG_PAGE);
    await expect(page.getByTestId(ids.config.proxyUrl)).toHaveValue(process.env.HARNESS_PROXY_URL!);
    await expect(page.getByTestId(ids.config.proxyToken)).not.toHaveValue(process.env.HARNESS_PROXY_TOKEN!);
    await page.getByTestId(selectors.harness.saveAndTest).click();
    const result = page.getByTestId(selectors.harness.testResult);
    await expect(result).toHaveAttribute('data-status', 'success');
    await expect(result).toContainText(/Insights proxy.*OK/);
    await expect(result).toContainText(/Elasticsearch OK/);
    await expect(result).toContainText(/DreamFactory OK/);
    await shot('datasource-config-editor');
  });

  test('Save & test names the failing hop when the proxy URL is wrong, and recovers when fixed', async ({
    page,
    gotoAs,
  }) => {
    await gotoAs(CONFIG_PAGE);
    const url = page.getByTestId(ids.config.proxyUrl);
    await url.fill('http://127.0.0.1:9');
    await url.blur();
    await page.getByTestId(selectors.harness.saveAndTest).click();
    const result = page.getByTestId(selectors.harness.testResult);
    await expect(result).toHaveAttribute('data-status', 'error');
    await expect(result).toContainText('Insights proxy unreachable');

    await url.fill(process.env.HARNESS_PROXY_URL!);
    await url.blur();
    await page.getByTestId(selectors.harness.saveAndTest).click();
    await expect(result).toHaveAttribute('data-status', 'success');
  });

  test('a wrong or rotated token: Save & test and the app pages say so, and the right token recovers', async ({
    page,
    gotoAs,
    shot,
  }) => {
    await gotoAs(CONFIG_PAGE);
    try {
      await page.getByRole('button', { name: 'Reset' }).click();
      await page.getByTestId(ids.config.proxyToken).fill('a-token-the-proxy-never-issued');
      await page.getByTestId(selectors.harness.saveAndTest).click();
      const result = page.getByTestId(selectors.harness.testResult);
      await expect(result).toHaveAttribute('data-status', 'error');
      await expect(result).toContainText(labels.proxyTokenRejected);
      await shot('datasource-wrong-token');

      await gotoAs(`${APP_PATH}/limits`);
      await expect(page.getByTestId(selectors.proxyError)).toContainText(labels.proxyTokenRejected);
      await gotoAs(`${APP_PATH}/status`);
      await expect(page.getByTestId(selectors.status.error)).toContainText(labels.proxyTokenRejected);
    } finally {
      // The datasource's settings live in the shim for the whole suite: put the real token back.
      const restored = await pageFetch(page, 'PUT', `/api/datasources/uid/${DS_UID}`, {
        secureJsonData: { proxyToken: process.env.HARNESS_PROXY_TOKEN },
      });
      expect(restored.status).toBe(200);
    }
    await gotoAs(CONFIG_PAGE);
    await page.getByTestId(selectors.harness.saveAndTest).click();
    await expect(page.getByTestId(selectors.harness.testResult)).toHaveAttribute('data-status', 'success');
  });
});

test.describe('datasource QueryEditor against the seeded Elasticsearch', () => {
  test('each seed preset builds its grouping and the preview shows rows', async ({ page, gotoAs, shot }) => {
    await gotoAs('/explore?app=dashboard');
    await expect(page.getByTestId(ids.queryEditor.container)).toBeVisible();
    for (const preset of Object.keys(ACTIVITY_PRESETS) as ActivityPreset[]) {
      const groupBy = ACTIVITY_PRESETS[preset].groupBy;
      await page.getByTestId(ids.queryEditor.preset(preset)).click();
      await expect(page.getByTestId(ids.queryEditor.dimension(groupBy.length - 1))).toBeVisible();
      await expect(page.getByTestId(ids.queryEditor.dimension(groupBy.length))).toHaveCount(0);
      await page.getByTestId(selectors.harness.runQuery).click();
      const frame = await previewFrame(page);
      expect(Number(await frame.getAttribute('data-rows'))).toBeGreaterThan(0);
      // One column per grouping plus at least the call count.
      expect(await frame.locator('th').count()).toBeGreaterThan(groupBy.length);
      await shot(`query-editor-preset-${preset}`);
    }
  });

  test('each query type returns its columns', async ({ page, gotoAs, shot }) => {
    await gotoAs('/explore?app=dashboard');
    for (const queryType of Object.keys(QUERY_TYPE_LABELS) as QueryType[]) {
      await page
        .getByTestId(ids.queryEditor.queryType)
        .getByRole('radio', { name: QUERY_TYPE_LABELS[queryType], exact: true })
        .check();
      await page.getByTestId(selectors.harness.runQuery).click();
      const frame = await previewFrame(page);
      const headers = await frame.locator('th').allTextContents();
      expect(headers).toEqual(expect.arrayContaining(EXPECTED_COLUMNS[queryType]));
      await shot(`query-editor-type-${queryType}`);
    }
  });

  test('Explore opens on logs, which lists the seeded DreamFactory events', async ({ page, gotoAs }) => {
    await gotoAs('/explore');
    await expect(page.getByTestId(ids.queryEditor.container)).toBeVisible();
    await page.getByTestId(selectors.harness.runQuery).click();
    const frame = await previewFrame(page);
    expect(Number(await frame.getAttribute('data-rows'))).toBeGreaterThan(0);
  });
});

/** The first frame of the finished preview, failing on a query error. */
async function previewFrame(page: Page) {
  const preview = page.getByTestId(selectors.harness.preview);
  await expect(preview).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId(selectors.harness.previewError)).toHaveCount(0);
  const frame = preview.getByTestId(selectors.harness.previewFrame).first();
  await expect(frame).toBeVisible();
  return frame;
}
