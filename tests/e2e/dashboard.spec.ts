import dashboard from '../../src/dashboards/user-activity.json';
import { ACTIVITY_PRESETS } from '@shared/query';
import { expect, test } from './fixtures';

/** The seed guide's three panels: the dashboard names them as the presets do. */
const SEED_PANELS = Object.values(ACTIVITY_PRESETS).map((preset) => preset.label);

test.describe('the app dashboard', () => {
  test('every panel renders without errors', async ({ gotoDashboardPage }) => {
    const dashboardPage = await gotoDashboardPage({ uid: dashboard.uid });
    await expect(dashboardPage).not.toHavePanelErrors();
  });

  for (const title of SEED_PANELS) {
    test(`seed panel "${title}" shows data`, async ({ gotoDashboardPage }) => {
      const dashboardPage = await gotoDashboardPage({ uid: dashboard.uid });
      const panel = dashboardPage.getPanelByTitle(title);
      await expect(panel.fieldNames).toContainText(['Calls']);
      await expect(panel.data).not.toHaveCount(0);
    });
  }
});
