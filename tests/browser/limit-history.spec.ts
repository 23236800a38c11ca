/**
 * The limit history in the built app, on history the proxy's sampler wrote to real Elasticsearch from the DreamFactory
 * simulator (limit-history-seed.ts): per limit a usage sparkline, its trips and the current window's estimate; and the
 * "Near their limits" tab.
 */
import type { Locator, Page } from '@playwright/test';
import { selectors } from '../../src/selectors';
import { APP_PATH, expect, test } from './fixtures';
import { PROJECTED_LIMIT, TRIPPED_LIMIT } from './limit-history-seed';

const LIMITS = `${APP_PATH}/limits`;
const ids = selectors.limits;
/** "14:20", or "Nov 21, 14:20" when not today. */
const CLOCK = '([A-Z][a-z]{2} \\d{1,2}, )?\\d\\d:\\d\\d';

/** The id of the listed limit called `name`, from its row's test id. */
async function limitId(page: Page, name: string): Promise<number> {
  const cell = page.locator(`[data-testid^="${ids.list.rowName(0).replace(/0$/, '')}"]`, { hasText: name });
  await expect(cell).toHaveCount(1);
  return Number((await cell.getAttribute('data-testid'))!.split('-').pop());
}

/** Points of the sparkline's lines and dots, as drawn. */
async function drawnPoints(sparkline: Locator): Promise<number> {
  const lines = await sparkline
    .locator('polyline')
    .evaluateAll((els) => els.map((el) => el.getAttribute('points')!.split(' ').length));
  return lines.reduce((sum, n) => sum + n, 0) + (await sparkline.locator('circle').count());
}

test.describe('limit history', () => {
  test('the Limits page shows each limit’s last 24 h, its trips in 7 days and an estimate for this window', async ({
    page,
    gotoAs,
    shot,
  }) => {
    await gotoAs(LIMITS, 'Viewer');
    const tripped = await limitId(page, TRIPPED_LIMIT);
    const projected = await limitId(page, PROJECTED_LIMIT);

    const sparkline = page.getByTestId(ids.list.sparkline(tripped));
    await expect(sparkline).toHaveAttribute('data-peak', '1');
    await expect(sparkline).toHaveAttribute(
      'aria-label',
      new RegExp(`^${TRIPPED_LIMIT}: usage over the last 24 hours, peak 100 %, latest 100 %$`)
    );
    expect(await drawnPoints(sparkline)).toBe(Number(await sparkline.getAttribute('data-points')));
    await expect(page.getByTestId(ids.list.trips(tripped))).toHaveText('1');
    await expect(page.getByTestId(ids.list.projection(tripped))).toHaveText('At its limit now');

    await expect(page.getByTestId(ids.list.sparkline(projected))).toHaveAttribute('data-peak', '0.5001');
    await expect(page.getByTestId(ids.list.trips(projected))).toHaveText('0');
    const estimate = page.getByTestId(ids.list.projection(projected));
    await expect(estimate).toHaveText(new RegExp(`^Estimate: at the current rate, trips at ${CLOCK}$`));
    // How it was estimated is one hover away.
    await expect(
      estimate.locator('xpath=..').getByLabel(/^Estimate: a straight line through the counter’s growth/)
    ).toHaveCount(1);
    await shot('limits-history');
  });

  test('"Near their limits" lists the tripped counter and the one projected to trip, saying which is an estimate', async ({
    page,
    gotoAs,
    shot,
  }) => {
    await gotoAs(LIMITS, 'Viewer');
    const tripped = await limitId(page, TRIPPED_LIMIT);
    const projected = await limitId(page, PROJECTED_LIMIT);
    await page.getByTestId(ids.tabs.near).click();
    await expect(page.getByTestId(ids.near.table)).toBeVisible();
    const trippedStatus = page.locator(`[data-testid^="${ids.near.status(`${tripped}/`)}"]`);
    await expect(trippedStatus).toHaveText(new RegExp(`^At its limit since ${CLOCK}$`));
    await expect(page.getByTestId(ids.near.status(`${projected}/-`))).toHaveText(
      new RegExp(`^Estimate: at the current rate, trips at ${CLOCK}$`)
    );
    await expect(page.getByText(/^Estimate: a straight line through the counter’s growth/)).toBeVisible();
    await shot('limits-near');
  });
});
