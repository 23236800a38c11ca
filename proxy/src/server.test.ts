/**
 * The proxy's HTTP surface: every /api route refuses a missing or wrong token, no CORS is granted to browsers, bodies
 * are size-limited and validated. Routes are read from the server itself, so a new route is covered automatically.
 */
import type { FastifyInstance } from 'fastify';
import { PROXY_TOKEN_HEADER } from '@shared/headers';
import { buildProxyServer, createProxyParts, type ProxyParts } from './compose';
import { loadConfig } from './config';
import { createLogger } from './logger';

const TOKEN = 'security-test-token-0123456789';

/** `METHOD /path` for every route, from Fastify's own route table. */
function apiRoutes(app: FastifyInstance): Array<{ method: string; url: string }> {
  const routes: Array<{ method: string; url: string }> = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = line.match(/(\/\S*) \(([A-Z, ]+)\)/);
    if (!match || !match[1].startsWith('/api')) {
      continue;
    }
    for (const method of match[2].split(',').map((m) => m.trim())) {
      if (method !== 'HEAD') {
        // Path parameters get a harmless value; the token check runs before any handler.
        routes.push({ method, url: match[1].replace(/:[^/]+/g, '1').replace(/\*$/, 'x') });
      }
    }
  }
  return routes;
}

describe('proxy API security', () => {
  let parts: ProxyParts;
  let app: FastifyInstance;

  beforeAll(async () => {
    // Upstreams on a closed port: nothing here may depend on them.
    const config = loadConfig({}, { apiToken: TOKEN, elasticsearch: { urls: ['http://127.0.0.1:9'] }, dreamfactory: { url: 'http://127.0.0.1:9', apiKey: 'k' }, setupOnStart: false });
    parts = createProxyParts(config, createLogger('silent'));
    app = await buildProxyServer(parts);
  });

  afterAll(async () => {
    await app.close();
    await parts.es.close();
  });

  it('finds the API routes it is meant to protect', () => {
    const urls = apiRoutes(app).map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(expect.arrayContaining(['POST /api/query', 'GET /api/limits', 'GET /api/status']));
  });

  it('refuses every /api route without the token or with a wrong one', async () => {
    const routes = apiRoutes(app);
    for (const route of routes) {
      for (const headers of [{}, { [PROXY_TOKEN_HEADER]: 'wrong-token-of-enough-length' }, { [PROXY_TOKEN_HEADER]: `${TOKEN}x` }]) {
        const response = await app.inject({ method: route.method as 'GET', url: route.url, headers, payload: route.method === 'GET' ? undefined : {} });
        if (response.statusCode !== 401) {
          throw new Error(`${route.method} ${route.url} answered ${response.statusCode} without a valid token`);
        }
        expect(response.json().error).toMatch(/token/i);
      }
    }
  });

  it('grants no cross-origin access to browsers', async () => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/query',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses oversized and malformed bodies with a clear status', async () => {
    const headers = { [PROXY_TOKEN_HEADER]: TOKEN, 'content-type': 'application/json' };
    const huge = JSON.stringify({ range: { from: 'x', to: 'y' }, queries: [], padding: 'x'.repeat(2 * 1024 * 1024) });
    expect((await app.inject({ method: 'POST', url: '/api/query', headers, payload: huge })).statusCode).toBe(413);
    expect((await app.inject({ method: 'POST', url: '/api/query', headers, payload: '{"range":' })).statusCode).toBe(400);
    const invalid = await app.inject({ method: 'POST', url: '/api/query', headers, payload: { queries: 'all of them' } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body.length).toBeGreaterThan(10);
  });
});
