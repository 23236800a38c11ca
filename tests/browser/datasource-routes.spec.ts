/**
 * The datasource's plugin.json routes, enforced by the shim exactly as Grafana's datasource proxy does, in front of
 * the real proxy: who may call what, and that the token is added server-side and never reaches the browser.
 */
import { defaultQuery, QueryResponse } from '@shared/query';
import { DS_PROXY, expect, pageFetch, test } from './fixtures';

const DENIED = { message: 'plugin proxy route access denied' };

test.describe('datasource proxy routes (src/datasource/plugin.json)', () => {
  test('a Viewer reads through the GET route, with the token injected server-side', async ({ page, gotoAs }) => {
    await gotoAs('/explore', 'Viewer');
    const ping = await pageFetch(page, 'GET', `${DS_PROXY}/api/ping`);
    expect(ping).toEqual({ status: 200, json: { ok: true } });
  });

  test('a Viewer cannot use a write route: 403 from the route, not the proxy', async ({ page, gotoAs }) => {
    await gotoAs('/explore', 'Viewer');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(
        await pageFetch(page, method, `${DS_PROXY}/api/limits/1`, method === 'DELETE' ? undefined : { name: 'x' })
      ).toEqual({
        status: 403,
        json: DENIED,
      });
      expect(
        await pageFetch(
          page,
          method,
          `${DS_PROXY}/editor/api/limits/1`,
          method === 'DELETE' ? undefined : { name: 'x' }
        )
      ).toEqual({
        status: 403,
        json: DENIED,
      });
    }
  });

  test('an Editor is refused the admin write route but passes the editor one', async ({ page, gotoAs }) => {
    await gotoAs('/explore', 'Editor');
    expect(await pageFetch(page, 'POST', `${DS_PROXY}/api/limits`, { name: 'x' })).toEqual({
      status: 403,
      json: DENIED,
    });
    const viaEditorRoute = await pageFetch(page, 'POST', `${DS_PROXY}/editor/api/limits`, { name: 'x' });
    expect(viaEditorRoute.json).not.toEqual(DENIED);
  });

  test("an Admin's write passes the route and reaches the proxy authenticated", async ({ page, gotoAs }) => {
    await gotoAs('/explore', 'Admin');
    const response = await pageFetch(page, 'POST', `${DS_PROXY}/api/limits`, { name: 'x' });
    expect(response.json).not.toEqual(DENIED);
    // 401 would mean the route's X-Insights-Token template did not render the datasource's secret.
    expect(response.status).not.toBe(401);
  });

  test('a Viewer can run queries: POST api/query reaches the proxy query endpoint', async ({ page, gotoAs }) => {
    await gotoAs('/explore', 'Viewer');
    const to = new Date();
    const from = new Date(to.getTime() - 3600_000);
    const response = await pageFetch(page, 'POST', `${DS_PROXY}/api/query`, {
      range: { from: from.toISOString(), to: to.toISOString() },
      queries: [defaultQuery('logs', 'A')],
    });
    expect(response.status).toBe(200);
    const result = (response.json as QueryResponse).results.A;
    expect(result.error).toBeUndefined();
    expect(result.frames[0].fields.length).toBeGreaterThan(0);
  });

  test('the proxy token never reaches the browser', async ({ page, gotoAs }) => {
    const token = process.env.HARNESS_PROXY_TOKEN!;
    const seen: string[] = [];
    page.on('response', async (response) => {
      const type = response.headers()['content-type'] ?? '';
      if (/json|html|javascript|text/.test(type)) {
        seen.push(await response.text().catch(() => ''));
      }
    });
    for (const path of ['/a/dreamfactory-insights-app/limits', '/datasources/edit/dreamfactory-insights', '/explore']) {
      await gotoAs(path, 'Admin');
      await page.waitForLoadState('networkidle');
    }
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.filter((body) => body.includes(token))).toEqual([]);
    const bootData = await page.evaluate(() =>
      JSON.stringify((window as unknown as { grafanaBootData: unknown }).grafanaBootData)
    );
    expect(bootData).toContain('"secureJsonFields":{"proxyToken":true}');
    expect(bootData).not.toContain(token);
  });
});
