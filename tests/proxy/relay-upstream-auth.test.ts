/**
 * The relay answers 401 for a wrong proxy token only. When DreamFactory refuses the proxy's own credentials — with 401,
 * or with the 400 its auth check answers for an unknown API key — the relay answers 502: Grafana would turn a 401 into
 * its "Authentication to data source failed" 400, dropping DreamFactory's message, a 400 would blame the limit being
 * saved, and the pages would blame the datasource's proxy token.
 */
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildProxyServer, createProxyParts, type ProxyParts } from '../../proxy/src/compose';
import { loadConfig } from '../../proxy/src/config';
import { createLogger } from '../../proxy/src/logger';
import { startSimulator, type Simulator } from '../dreamfactory-sim/server';

const TOKEN = 'relay-upstream-auth-token';
/** DreamFactory's answer to an unauthenticated request (its error envelope, message as df-core sends it). */
const DF_401 = {
  error: { code: 401, context: null, message: 'Unauthorized. User is not authenticated.', status_code: 401 },
};

describe('DreamFactory refusing the proxy', () => {
  let dreamfactory: Server;
  let parts: ProxyParts;
  let proxy: FastifyInstance;

  beforeAll(async () => {
    dreamfactory = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(DF_401));
    });
    await new Promise<void>((resolve) => dreamfactory.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(dreamfactory.address() as AddressInfo).port}`;
    parts = createProxyParts(
      loadConfig(
        {},
        { apiToken: TOKEN, dreamfactory: { url, apiKey: 'a-key-dreamfactory-refuses' }, setupOnStart: false }
      ),
      createLogger('silent')
    );
    proxy = await buildProxyServer(parts);
  });

  afterAll(async () => {
    await proxy.close();
    await parts.es.close();
    await new Promise((resolve) => dreamfactory.close(resolve));
  });

  test("is a 502 naming DF_API_KEY and DreamFactory's message, never a 401", async () => {
    const response = await proxy.inject({ method: 'GET', url: '/api/limits', headers: { 'x-insights-token': TOKEN } });
    expect(response.statusCode).toBe(502);
    expect(response.json()).toMatchObject({
      source: 'dreamfactory',
      error: "DreamFactory refused the proxy's credentials (DF_API_KEY): Unauthorized. User is not authenticated.",
    });
  });

  test('a wrong proxy token is still the one 401', async () => {
    const response = await proxy.inject({
      method: 'GET',
      url: '/api/limits',
      headers: { 'x-insights-token': 'wrong' },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('DreamFactory refusing an unknown API key (its 400)', () => {
  let sim: Simulator;
  let parts: ProxyParts;
  let proxy: FastifyInstance;

  beforeAll(async () => {
    sim = await startSimulator({ users: 3, admins: 1, seed: 2, limits: false });
    parts = createProxyParts(
      loadConfig(
        {},
        {
          apiToken: TOKEN,
          dreamfactory: { url: sim.url, apiKey: 'a-key-dreamfactory-does-not-know' },
          setupOnStart: false,
        }
      ),
      createLogger('silent')
    );
    proxy = await buildProxyServer(parts);
  });

  afterAll(async () => {
    await proxy.close();
    await parts.es.close();
    await sim.close();
  });

  test.each([
    ['GET', '/api/limits', undefined],
    ['POST', '/api/limits', { name: 'Ten an hour', type: 'instance', rate: 10, period: 'hour' }],
  ])("%s %s is a 502 naming DF_API_KEY and DreamFactory's message", async (method, url, payload) => {
    const response = await proxy.inject({
      method: method as 'GET' | 'POST',
      url,
      payload,
      headers: { 'x-insights-token': TOKEN },
    });
    expect(response.statusCode).toBe(502);
    expect(response.json().error).toMatch(
      /^DreamFactory refused the proxy's credentials \(DF_API_KEY\): No session token \(JWT\) provided\./
    );
  });
});
