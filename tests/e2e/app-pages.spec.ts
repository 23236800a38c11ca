import { ROUTES } from '../../src/constants';
import { labels, selectors } from '../../src/selectors';
import { expect, test } from './fixtures';

const PAGES = [
  { route: ROUTES.Limits, container: selectors.pages.limits.container, nav: labels.nav.limits },
  { route: ROUTES.LimitCounters, container: selectors.pages.limitCounters.container, nav: labels.nav.limitCounters },
  { route: ROUTES.Status, container: selectors.pages.status.container, nav: labels.nav.status },
];

test.describe('app pages in Grafana', () => {
  for (const { route, container, nav } of PAGES) {
    test(`${nav} renders from the app's nav entry`, async ({ gotoPage, page }) => {
      await gotoPage(`/${route}`);
      await expect(page.getByTestId(container)).toBeVisible();
      await expect(page.getByTestId(selectors.proxyError)).toHaveCount(0);
    });
  }

  test('the Limits page lists DreamFactory limits from the provisioned datasource', async ({ gotoPage, page }) => {
    await gotoPage(`/${ROUTES.Limits}`);
    await expect(page.getByTestId(selectors.limits.list.table)).toBeVisible();
  });
});
