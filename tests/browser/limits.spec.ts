/**
 * Limits management from the built app against the DreamFactory simulator, through the datasource routes and the
 * proxy: create one limit of every type, edit, reset a counter, delete; a Viewer gets disabled controls.
 */
import type { Page } from '@playwright/test';
import { LIMIT_TYPES } from '@shared/limits';
import { selectors } from '../../src/selectors';
import { APP_PATH, expect, pageFetch, test } from './fixtures';

const LIMITS = `${APP_PATH}/limits`;
const ids = selectors.limits;

/** Picks an option of a Grafana Combobox: the one labelled `label`, else the first. */
async function choose(page: Page, testId: string, label?: string): Promise<void> {
  const input = page.getByTestId(testId);
  await input.click();
  const options = page.getByRole('option');
  if (label) {
    await input.fill(label);
    await options
      .filter({ has: page.getByText(label, { exact: true }) })
      .first()
      .click();
  } else {
    await options.first().click();
  }
}

/** The id of the listed limit called `name`, from its row's test id. */
async function limitId(page: Page, name: string): Promise<number> {
  const cell = page.locator(`[data-testid^="${ids.list.rowName(0).replace(/0$/, '')}"]`, { hasText: name });
  await expect(cell).toHaveCount(1);
  const testId = await cell.getAttribute('data-testid');
  return Number(testId!.split('-').pop());
}

/** Counts calls against DreamFactory's limits, as traffic would (the simulator's /_sim/calls). */
async function simulateCalls(calls: number): Promise<void> {
  const response = await fetch(`${process.env.HARNESS_SIM_URL}/_sim/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ calls: Array.from({ length: calls }, () => ({ service: 'db', userId: 3, verb: 'GET' })) }),
  });
  expect(response.status).toBe(200);
}

/** DreamFactory refuses a second limit with the same key (type, scope, verb, period); the seeded ones use other periods. */
const UNUSED_PERIOD = 'Week';
/**
 * DreamFactory counts the proxy's own API-key calls against instance-wide limits, so limits made here leave room for
 * every call the pages make while they exist.
 */
const ROOMY_RATE = '100000';

test.describe('limits', () => {
  test('an Admin creates a limit of each of the ten types, then bulk-deletes them', async ({ page, gotoAs, shot }) => {
    test.setTimeout(300_000);
    const suffix = Date.now().toString(36);
    const names: string[] = [];
    for (const type of LIMIT_TYPES) {
      await gotoAs(LIMITS);
      await page.getByTestId(ids.list.newButton).click();
      await expect(page.getByTestId(ids.form.container)).toBeVisible();
      const name = `harness ${type.label} ${suffix}`;
      names.push(name);
      await page.getByTestId(ids.form.name).fill(name);
      await choose(page, ids.form.type, type.label);
      if (type.userId !== 'none') {
        await choose(page, ids.form.user);
      }
      if (type.roleId !== 'none') {
        await choose(page, ids.form.role);
      }
      if (type.serviceId !== 'none') {
        await choose(page, ids.form.service);
      }
      if (type.endpoint !== 'none') {
        await page.getByTestId(ids.form.endpoint).fill('_table/contact*');
      }
      await page.getByTestId(ids.form.rate).fill(ROOMY_RATE);
      await page.getByTestId(ids.form.period).getByRole('radio', { name: UNUSED_PERIOD, exact: true }).check();
      if (type.type === 'instance.user.service.endpoint') {
        await shot('limits-form-endpoint-by-user');
      }
      await page.getByTestId(ids.form.submit).click();
      await expect(page.getByTestId(ids.list.table)).toContainText(name);
    }
    await shot('limits-list-all-types');

    for (const name of names) {
      // Grafana's Checkbox draws a span over its input; a person clicks the label around both.
      const checkbox = page.getByTestId(ids.list.rowSelect(await limitId(page, name)));
      await checkbox.locator('xpath=..').click();
      await expect(checkbox).toBeChecked();
    }
    await page.getByTestId(ids.bulk.delete).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    for (const name of names) {
      await expect(page.getByTestId(ids.list.table)).not.toContainText(name);
    }
  });

  test('an Admin edits a limit, resets its counter and deletes it', async ({ page, gotoAs, shot }) => {
    const name = `harness edit ${Date.now().toString(36)}`;
    await gotoAs(LIMITS);
    await page.getByTestId(ids.list.newButton).click();
    await page.getByTestId(ids.form.name).fill(name);
    // A service limit: an instance-wide one would count the proxy's own calls too.
    await choose(page, ids.form.type, 'Service');
    await choose(page, ids.form.service, 'db');
    await page.getByTestId(ids.form.rate).fill('50');
    await page.getByTestId(ids.form.period).getByRole('radio', { name: '30 Days', exact: true }).check();
    await page.getByTestId(ids.form.submit).click();
    const id = await limitId(page, name);

    await page.getByTestId(ids.list.edit(id)).click();
    await expect(page.getByTestId(ids.form.rate)).toHaveValue('50');
    await page.getByTestId(ids.form.rate).fill('75');
    await page.getByTestId(ids.form.submit).click();
    await expect(page.getByTestId(ids.list.counterBar(id))).toContainText('/ 75');

    await simulateCalls(3);
    await page.getByTestId(ids.list.refresh).click();
    await expect(page.getByTestId(ids.list.counterBar(id))).toContainText('3 / 75');
    await shot('limits-counter-before-reset');
    await page.getByTestId(ids.list.resetCounter(id)).click();
    await page.getByRole('button', { name: 'Clear counter' }).click();
    await expect(page.getByTestId(ids.list.counterBar(id))).toContainText('0 / 75');

    await page.getByTestId(ids.list.delete(id)).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByTestId(ids.list.table)).not.toContainText(name);
  });

  test("the form follows DreamFactory's precedence: a user's own limit overrides the each-user limit", async ({
    page,
    gotoAs,
    shot,
  }) => {
    // The seeded "Fair use per user" allows each user 1000 calls a day; these limits allow 100000.
    const eachUser = page.getByTestId(ids.form.warnings).filter({ hasText: 'Fair use per user' });
    await gotoAs(LIMITS);
    await page.getByTestId(ids.list.newButton).click();
    await page.getByTestId(ids.form.name).fill('precedence check');
    await page.getByTestId(ids.form.rate).fill(ROOMY_RATE);
    await page.getByTestId(ids.form.period).getByRole('radio', { name: 'Day', exact: true }).check();

    // A User limit overrides "Each User" for its user: DreamFactory never lets the each-user limit refuse them.
    await choose(page, ids.form.type, 'User');
    await choose(page, ids.form.user);
    await expect(page.getByTestId(ids.form.container)).toBeVisible();
    await expect(eachUser).toHaveCount(0);

    // A Service by User limit is not the overriding kind: the each-user limit trips first, and the form says so.
    await choose(page, ids.form.type, 'Service by User');
    await choose(page, ids.form.user);
    await choose(page, ids.form.service, 'db');
    await expect(eachUser).toHaveCount(1);
    await shot('limits-form-precedence-warning');
  });

  test('a Viewer sees limits but every write control is disabled, and the route refuses the write anyway', async ({
    page,
    gotoAs,
    shot,
  }) => {
    await gotoAs(LIMITS, 'Viewer');
    await expect(page.getByTestId(ids.list.table)).toBeVisible();
    await expect(page.getByTestId(ids.list.newButton)).toBeDisabled();
    const anyName = page.locator(`[data-testid^="${ids.list.rowName(0).replace(/0$/, '')}"]`).first();
    const id = Number((await anyName.getAttribute('data-testid'))!.split('-').pop());
    await expect(page.getByTestId(ids.list.delete(id))).toBeDisabled();
    await expect(page.getByTestId(ids.list.resetCounter(id))).toBeDisabled();
    await expect(page.getByTestId(ids.readOnlyNotice).first()).toBeVisible();
    await shot('limits-viewer');
    const write = await pageFetch(page, 'DELETE', `/api/datasources/proxy/uid/dreamfactory-insights/api/limits/${id}`);
    expect(write.status).toBe(403);
  });

  test("a Grafana server admin whose org role is Viewer gets a Viewer's page: Grafana checks routes by org role", async ({
    page,
    gotoAs,
  }) => {
    await gotoAs(`${LIMITS}?serverAdmin=1`, 'Viewer');
    await expect(page.getByTestId(ids.list.table)).toBeVisible();
    expect(
      await page.evaluate(
        () =>
          (window as unknown as { grafanaBootData: { user: { isGrafanaAdmin: boolean } } }).grafanaBootData.user
            .isGrafanaAdmin
      )
    ).toBe(true);
    await expect(page.getByTestId(ids.list.newButton)).toBeDisabled();
    const write = await pageFetch(page, 'POST', '/api/datasources/proxy/uid/dreamfactory-insights/api/limits', {
      name: 'x',
    });
    expect(write.status).toBe(403);
  });
});

test.describe('limit counters', () => {
  test("an Admin sees a user's counter grow with traffic and resets it", async ({ page, gotoAs, shot }) => {
    // The seeded "Fair use per user" limit (1000 a day, each user): user 3's counter counts user 3's calls only, not the
    // page's own reads (an instance-wide counter would count those too).
    await simulateCalls(4);
    await gotoAs(`${APP_PATH}/limit-counters`);
    const key = 'instance.each_user:3.day';
    const bar = page.getByTestId(selectors.limitCounters.bar(key));
    await expect(bar).not.toContainText(/(^|\D)0 \/ 1000/);
    await shot('limit-counters');
    await page.getByTestId(selectors.limitCounters.reset(key)).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /clear|reset/i })
      .click();
    await expect(bar).toContainText(/(^|\D)0 \/ 1000/);
  });
});
