import { QUERY_TYPE_LABELS, QueryType } from '@shared/query';
import { EXPECTED_COLUMNS } from './expected-frames';
import { expect, test } from './fixtures';

test.describe('datasource QueryEditor in a panel editor', () => {
  for (const queryType of Object.keys(QUERY_TYPE_LABELS) as QueryType[]) {
    test(`"${QUERY_TYPE_LABELS[queryType]}" returns its columns`, async ({
      panelEditPage,
      readProvisionedDataSource,
      page,
    }) => {
      const ds = await readProvisionedDataSource({ fileName: 'dreamfactory-insights.yaml' });
      await panelEditPage.datasource.set(ds.name);
      await panelEditPage.setVisualization('Table');
      await panelEditPage
        .getQueryEditorRow('A')
        .getByRole('radio', { name: QUERY_TYPE_LABELS[queryType], exact: true })
        .check({ force: true });
      // Queries go from the browser through the datasource proxy, not /api/ds/query.
      const queried = page.waitForResponse(
        (response) => response.url().includes('/api/query') && response.request().method() === 'POST'
      );
      await panelEditPage.refreshPanel();
      await expect((await queried).status()).toBe(200);
      await expect(panelEditPage.panel.fieldNames).toContainText(EXPECTED_COLUMNS[queryType]);
    });
  }
});
