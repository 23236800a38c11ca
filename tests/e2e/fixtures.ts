/** Fixtures for the Grafana-backed suite (@grafana/plugin-e2e): app pages by route, and the provisioned datasource. */
import { AppPage, test as base } from '@grafana/plugin-e2e';
import pluginJson from '../../src/plugin.json';

/** The uid provisioning/datasources/dreamfactory-insights.yaml gives the Insights datasource. */
export const DATASOURCE_UID = 'dreamfactory-insights';

type AppTestFixture = {
  gotoPage: (path?: string) => Promise<AppPage>;
};

export const test = base.extend<AppTestFixture>({
  gotoPage: async ({ gotoAppPage }, use) => {
    await use((path) => gotoAppPage({ path, pluginId: pluginJson.id }));
  },
});

export { expect } from '@grafana/plugin-e2e';
