import { selectors as ours } from '../../src/selectors';
import { DATASOURCE_UID, expect, test } from './fixtures';

test.describe('datasource ConfigEditor in Grafana', () => {
  test('the provisioned datasource shows its proxy URL and a configured token', async ({
    gotoDataSourceConfigPage,
    page,
  }) => {
    await gotoDataSourceConfigPage(DATASOURCE_UID);
    await expect(page.getByTestId(ours.datasource.config.proxyUrl)).not.toHaveValue('');
    await expect(page.getByTestId(ours.datasource.config.proxyToken)).toBeVisible();
  });

  test('Save & test is green against the proxy (proxy, Elasticsearch and DreamFactory)', async ({
    gotoDataSourceConfigPage,
    selectors,
  }) => {
    const configPage = await gotoDataSourceConfigPage(DATASOURCE_UID);
    // A frontend datasource's health check is its own call through the datasource proxy, not /health.
    const healthPath = `${selectors.apis.DataSource.proxy(configPage.datasource.uid, configPage.datasource.id.toString())}/api/datasource-health`;
    await expect(configPage.saveAndTest({ path: healthPath })).toBeOK();
    await expect(configPage).toHaveAlert('success', { hasText: /Elasticsearch.*OK.*DreamFactory.*OK/ });
  });
});
