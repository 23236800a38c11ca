import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../proxy/src/config';
import { buildProxyServer, createProxyParts, type ProxyParts } from '../../proxy/src/compose';
import { createLogger } from '../../proxy/src/logger';
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { plainEs, secureEs, uniquePrefix } from './env';

describe('proxy foundation against real Elasticsearch', () => {
  let parts: ProxyParts;
  let app: FastifyInstance;

  beforeAll(async () => {
    const config = loadConfig({}, { apiToken: 'integration-test-token-123', elasticsearch: plainEs() });
    parts = createProxyParts(config, createLogger('silent'));
    app = await buildProxyServer(parts);
  });

  afterAll(async () => {
    await app.close();
    await parts.es.close();
  });

  it('answers /health and /metrics', async () => {
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', version: parts.proxy.version });

    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('insights_ingest_received_total');
  });

  it.each([
    ['plain HTTP', plainEs],
    ['HTTPS with basic auth', secureEs],
  ])('indexes and reads back a document over %s', async (_label, esConfig) => {
    const es = new ElasticsearchClient(esConfig());
    const info = await es.info();
    expect(info.version).toMatch(/^8\./);
    process.stdout.write(`Elasticsearch ${info.version} (${_label})\n`);
    const index = `${uniquePrefix('foundation')}2026.11.23`;
    await es.bulk([{ index: { _index: index, _id: 'doc-1' } }, { message: 'hello', user: { id: '3' } }], 'wait_for');
    const found = await es.search<{ message: string }>(index, { query: { term: { _id: 'doc-1' } } });
    expect(found.hits.hits.map((h) => h._source?.message)).toEqual(['hello']);
    await es.close();
  });

  it('refuses the secured node without credentials', async () => {
    const { username, password, ...anonymous } = secureEs();
    void username;
    void password;
    const es = new ElasticsearchClient(anonymous);
    await expect(es.info()).rejects.toMatchObject({ meta: { statusCode: 401 } });
    await es.close();
  });
});
