/** The Pipeline status page from the built bundle, against the running proxy, Elasticsearch and DreamFactory. */
import { selectors } from '../../src/selectors';
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
