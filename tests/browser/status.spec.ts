/** The Pipeline status page from the built bundle, against the running proxy, Elasticsearch and DreamFactory. */
import { labels, selectors } from '../../src/selectors';
import { APP_PATH, expect, test } from './fixtures';

const ids = selectors.status;

test('the status page shows Elasticsearch, DreamFactory and the ingest sources that carried the seeded traffic', async ({
  page,
  gotoAs,
  shot,
}) => {
  await gotoAs(`${APP_PATH}/status`);
  for (const tile of ['proxy', 'elasticsearch', 'dreamfactory', 'ingest'] as const) {
    await expect(page.getByTestId(ids.tile(tile))).toBeVisible();
  }
  await expect(page.getByTestId(ids.error)).toHaveCount(0);
  await expect(page.getByTestId(ids.tile('elasticsearch'))).toContainText(/Elasticsearch 8\.19\.\d+/);
  await expect(page.getByTestId(ids.tile('dreamfactory'))).not.toContainText('Not configured');
  // The stack sent DreamFactory's JSON-over-HTTP log mode.
  await expect(page.getByTestId(ids.source('json_http'))).toBeVisible();
  await expect(page.getByTestId(ids.noEvents)).toHaveCount(0);
  await shot('app-status-health');
});

test('the status page lists each listener at its bound port, with a state that follows what it received', async ({ page, gotoAs }) => {
  await gotoAs(`${APP_PATH}/status`);
  // The harness binds every listener to port 0: the rows show the ports the kernel gave them.
  await expect(page.getByTestId(ids.sourceListener('gelf_udp'))).toHaveText(/^UDP 127\.0\.0\.1:[1-9]\d*$/);
  await expect(page.getByTestId(ids.sourceListener('json_http'))).toHaveText(/^HTTP 127\.0\.0\.1:[1-9]\d*$/);
  await expect(page.getByTestId(ids.sourceListener('gelf_http'))).toHaveText(/^HTTP 127\.0\.0\.1:[1-9]\d*\/gelf$/);
  // The seeded traffic came in over JSON HTTP only.
  await expect(page.getByTestId(ids.sourceActivity('json_http'))).toHaveText(/^(Receiving|Idle since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d)$/);
  await expect(page.getByTestId(ids.sourceActivity('gelf_udp'))).toHaveText(labels.status.activity.never_received);
  // Never a "Receiving" badge beside a rate of 0/s.
  const tile = (await page.getByTestId(ids.tile('ingest')).textContent()) ?? '';
  expect(tile.includes(labels.status.activity.receiving) && /(^|[^\d.])0\/s over/.test(tile)).toBe(false);
});
