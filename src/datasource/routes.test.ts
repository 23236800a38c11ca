/**
 * Grafana's datasource proxy adds the headers plugin.json's routes name; the proxy reads the names in @shared/headers.
 * A mismatch would make every panel and page fail with 401 (token) or 403 (grant).
 */
import { PROXY_TOKEN_HEADER, WRITE_GRANT_HEADER, WRITE_GRANTS } from '@shared/headers';
import pluginJson from './plugin.json';

interface Route {
  path: string;
  method?: string;
  headers?: Array<{ name: string; content: string }>;
}

const routes: Route[] = pluginJson.routes;
const headersOf = (route: Route) => (route.headers ?? []).map((header) => ({ ...header, name: header.name.toLowerCase() }));

describe('datasource routes', () => {
  it('send the proxy token under the header the proxy checks, on every route', () => {
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      expect(headersOf(route).map((header) => header.name)).toContain(PROXY_TOKEN_HEADER);
    }
  });

  it('send only headers and write grants the proxy knows', () => {
    const grants: string[] = Object.values(WRITE_GRANTS);
    for (const header of routes.flatMap(headersOf)) {
      expect([PROXY_TOKEN_HEADER, WRITE_GRANT_HEADER]).toContain(header.name);
      if (header.name === WRITE_GRANT_HEADER) {
        expect(grants).toContain(header.content);
      }
    }
  });
});
