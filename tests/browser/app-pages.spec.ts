import { labels, selectors } from '../../src/selectors';
import { APP_PATH, expect, test } from './fixtures';

test.describe('app pages in the built bundle', () => {
  test('the app root opens on Limits, and the nav from plugin.json reaches every page', async ({
    page,
    gotoAs,
    shot,
  }) => {
    await gotoAs(APP_PATH);
    await expect(page).toHaveURL(/\/a\/dreamfactory-insights-app\/limits/);
    await expect(page.getByTestId(selectors.pages.limits.container)).toBeVisible();
    await shot('app-limits');

    const nav = page.getByTestId(selectors.harness.nav);
    await nav.getByRole('link', { name: labels.nav.limitCounters }).click();
    await expect(page.getByTestId(selectors.pages.limitCounters.container)).toBeVisible();
    await shot('app-limit-counters');

    await nav.getByRole('link', { name: labels.nav.status }).click();
    await expect(page.getByTestId(selectors.pages.status.container)).toBeVisible();
    await shot('app-status');

    await nav.getByRole('link', { name: labels.nav.limits }).click();
    await expect(page.getByTestId(selectors.pages.limits.container)).toBeVisible();
  });

  test('a deep link loads the lazy page chunk from the plugin public path', async ({ page, gotoAs }) => {
    const chunks: string[] = [];
    page.on('response', (response) => {
      if (/\/public\/plugins\/dreamfactory-insights-app\/\d+\.js/.test(response.url())) {
        chunks.push(`${response.status()} ${new URL(response.url()).pathname}`);
      }
    });
    await gotoAs(`${APP_PATH}/status`);
    await expect(page.getByTestId(selectors.pages.status.container)).toBeVisible();
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((line) => line.startsWith('200 '))).toBe(true);
  });
});
