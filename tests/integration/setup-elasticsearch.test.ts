/**
 * `proxy setup` against real Elasticsearch: empty cluster, rerun, manual template edit, conflicting old index,
 * security on (basic auth + CA, wrong password, missing CA), and the ILM/no-ILM retention decision.
 */
import { loadConfig, type Config } from '../../proxy/src/config';
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runSetup, type SetupOptions } from '../../proxy/src/setup/run-setup';
import { buildIndexTemplate, templateNameFor, templateOptionsFor } from '../../proxy/src/setup/index-template';
import { templateDifferences } from '../../proxy/src/setup/template-diff';
import type { SetupResult, SetupStep } from '@shared/status-api';
import { loadProvisioning } from '../browser/shim/provisioning';
import { createIndex, dropIndexTemplate, dropIndices } from './engine-admin';
import { engineProduct, plainEs, secureEs, secureEsRuns, uniquePrefix } from './env';

const SHIPPED_PROVISIONING = resolve(__dirname, '../../provisioning');

type EsOverrides = Partial<Config['elasticsearch']>;

function setupWith(es: Config['elasticsearch'], extra: Parameters<typeof loadConfig>[1] = {}) {
  const config = loadConfig({}, { ...extra, elasticsearch: es });
  const client = new ElasticsearchClient(config.elasticsearch);
  return {
    config,
    client,
    run: async (options: SetupOptions = {}) => (await runSetup({ config, es: client }, options)).result,
  };
}

function step(result: SetupResult, id: SetupStep['id']): SetupStep {
  const found = result.steps.find((s) => s.id === id);
  if (!found) {
    throw new Error(`no ${id} step in ${JSON.stringify(result.steps)}`);
  }
  return found;
}

const DF_EVENT = {
  '@timestamp': '2026-11-23T10:00:00.000Z',
  message: 'db._table.contact.get',
  level: 6,
  host: { name: 'df01' },
  source_hostname: 'df01',
  event: {
    request: { method: 'GET', uri: '/api/v2/db/_table/contact?limit=1', service: 'db', headers: { 'x-custom': 'a' }, content: 'raw body', payload: ['a'] },
    response: { status_code: 200, content: { resource: [{ id: 1 }] } },
  },
  platform: { session: { user: { id: 3, email: 'a@b.c' }, role: { services: ['db', 'files'] } } },
};

describe('proxy setup on the engine, security off', () => {
  const prefix = uniquePrefix('setup');
  const { client, run } = setupWith({ ...plainEs(), indexPrefix: prefix });
  /** Elasticsearch's `flattened` or OpenSearch's `flat_object`. */
  const flattened = engineProduct() === 'opensearch' ? 'flat_object' : 'flattened';
  /** The template setup installs on this engine. */
  const expectedTemplate = async () => buildIndexTemplate(prefix, templateOptionsFor(await client.info()));

  afterAll(async () => {
    await dropIndices(plainEs(), `${prefix}*`);
    await dropIndexTemplate(plainEs(), templateNameFor(prefix));
    await client.close();
  });

  it('on an empty cluster creates the template, and a new daily index gets our mapping', async () => {
    const result = await run();
    expect(result.ok).toBe(true);
    expect(step(result, 'connect').outcome).toBe('ok');
    expect(step(result, 'template').outcome).toBe('created');
    // The test distribution has no ILM: the proxy enforces retention itself, and says so.
    expect(result.retentionMode).toBe('proxy');
    expect(step(result, 'retention').detail).toContain(`${prefix}YYYY.MM.dd indices older than 30 days`);

    const index = `${prefix}2026.11.23`;
    await client.bulk([{ index: { _index: index } }, DF_EVENT], 'wait_for');
    const mapping = (await client.getMappings(index))[index].properties as Record<string, any>;
    expect(mapping.level.type).toBe('integer');
    expect(mapping.event.properties.request.properties.method).toMatchObject({ type: 'keyword', fields: { keyword: { type: 'keyword' } } });
    expect(mapping.event.properties.request.properties.headers.type).toBe(flattened);
    expect(mapping.platform.type).toBe(flattened);
    expect(mapping.event.properties.response.properties.status_code.type).toBe('integer');
    // Seed dashboards query `.keyword` sub-fields; they still match.
    const found = await client.search(index, { query: { term: { 'event.request.method.keyword': 'GET' } } });
    expect(found.hits.hits).toHaveLength(1);
  });

  it('reports no changes on a rerun', async () => {
    const result = await run();
    expect(result.ok).toBe(true);
    expect(step(result, 'template').outcome).toBe('unchanged');
  });

  it('restores the template after a manual edit, and a dry run only reports it', async () => {
    const name = templateNameFor(prefix);
    const edited = await expectedTemplate();
    (edited.template.mappings.properties as Record<string, unknown>).level = { type: 'keyword' };
    edited.template.settings['index.number_of_replicas'] = 2;
    await client.putIndexTemplate(name, edited);

    const plan = await run({ dryRun: true });
    expect(step(plan, 'template')).toMatchObject({ outcome: 'would-update' });
    expect(step(plan, 'template').detail).toMatch(/differed in: settings, mappings/);
    expect(templateDifferences((await client.getIndexTemplate(name))!, await expectedTemplate())).not.toEqual([]);

    const applied = await run();
    expect(step(applied, 'template').outcome).toBe('updated');
    expect(templateDifferences((await client.getIndexTemplate(name))!, await expectedTemplate())).toEqual([]);
    expect(step(await run(), 'template').outcome).toBe('unchanged');
  });

  it('explains existing indices whose mapping conflicts with ours', async () => {
    const oldIndex = `${prefix}2026.01.15`;
    // What Logstash's dynamic mapping made of DreamFactory's events before our template existed: `host` a string,
    // `level` text, headers an object. (With the template there, OpenSearch refuses to merge these mappings into it.)
    await dropIndexTemplate(plainEs(), templateNameFor(prefix));
    await createIndex(plainEs(), oldIndex, {
      settings: { number_of_replicas: 0 },
      mappings: {
        properties: {
          host: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
          level: { type: 'text' },
          event: { properties: { request: { properties: { headers: { properties: { a: { type: 'text' }, b: { type: 'text' } } } } } } },
        },
      },
    });
    const result = await run();
    const conflicts = step(result, 'conflicts');
    expect(conflicts.outcome).toBe('warning');
    expect(conflicts.detail).toContain(`${oldIndex}: level is text (ours: integer), host is text (ours: object), event.request.headers is object with 2 sub-fields (ours: ${flattened})`);
    expect(conflicts.hint).toMatch(/reindex/);
    expect(conflicts.hint).toMatch(/from tomorrow/);
    // A warning, not a failure: the proxy can still run.
    expect(result.ok).toBe(true);
  });

  it('fails clearly when ILM retention is demanded on a cluster without ILM', async () => {
    const ilm = setupWith({ ...plainEs(), indexPrefix: prefix }, { retention: { mode: 'ilm' } });
    const result = await ilm.run({ dryRun: true });
    expect(step(result, 'retention')).toMatchObject({ outcome: 'failed', hint: expect.stringContaining('RETENTION_MODE=auto') });
    await ilm.client.close();
  });

  it('names the unreachable URL', async () => {
    const closed = setupWith({ ...plainEs(), urls: ['http://127.0.0.1:1'] });
    const result = await closed.run();
    expect(result.ok).toBe(false);
    expect(step(result, 'connect')).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('Cannot reach Elasticsearch at http://127.0.0.1:1') });
    expect(result.steps).toHaveLength(1);
    await closed.client.close();
  });

  it('writes one set of Grafana provisioning over ours, referencing $PROXY_TOKEN, never the token', async () => {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}provisioning-`));
    cpSync(SHIPPED_PROVISIONING, dir, { recursive: true });
    const withToken = setupWith({ ...plainEs(), indexPrefix: prefix }, { apiToken: 'a-very-secret-proxy-token-1234' });
    try {
      const result = await withToken.run({ provisioningDir: dir, proxyUrl: 'http://insights-proxy:3100' });
      expect(step(result, 'provisioning').outcome).toBe('updated');
      const datasource = readFileSync(join(dir, 'datasources', 'dreamfactory-insights.yaml'), 'utf8');
      expect(datasource).toContain('proxyToken: ${PROXY_TOKEN}');
      expect(datasource).not.toContain('a-very-secret-proxy-token-1234');
      // What a Grafana mounting this folder provisions: still one datasource and one app, and the alerting
      // datasources over this proxy's indices.
      const provisioned = loadProvisioning(dir, { PROXY_TOKEN: 'from-grafanas-environment' });
      const { indexPrefix, limitIndexPrefix } = withToken.config.elasticsearch;
      expect(provisioned.datasources.map((ds) => [ds.uid, ds.jsonData.proxyUrl ?? ds.jsonData.index])).toEqual([
        ['dreamfactory-insights-events-es', `${indexPrefix}*`],
        ['dreamfactory-insights-limits-es', `${limitIndexPrefix}*`],
        ['dreamfactory-insights', 'http://insights-proxy:3100'],
      ]);
      expect(provisioned.apps.map((app) => app.type)).toEqual(['dreamfactory-insights-app']);
      const rerun = await withToken.run({ provisioningDir: dir, proxyUrl: 'http://insights-proxy:3100' });
      expect(step(rerun, 'provisioning').outcome).toBe('unchanged');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await withToken.client.close();
    }
  });
});

// Security is an Elasticsearch 8 node of the full run: OpenSearch's test distribution has no security plugin.
(secureEsRuns ? describe : describe.skip)('proxy setup on Elasticsearch with security on', () => {
  const prefix = uniquePrefix('setup-secure');
  const secured = (overrides: EsOverrides = {}) => setupWith({ ...secureEs(), indexPrefix: prefix, ...overrides });

  afterAll(async () => {
    const { client } = secured();
    await client.raw.indices.deleteIndexTemplate({ name: templateNameFor(prefix) }, { ignore: [404] });
    await client.close();
  });

  it('works over HTTPS with basic auth and the CA, checking privileges', async () => {
    const { run, client } = secured();
    const result = await run();
    expect(result.ok).toBe(true);
    expect(step(result, 'connect').detail).toContain('as "elastic"');
    expect(step(result, 'privileges').outcome).toBe('ok');
    expect(step(result, 'template').outcome).toBe('created');
    await client.close();
  });

  it('names the user whose password was rejected', async () => {
    const { run, client } = secured({ password: 'wrong-password' });
    const result = await run();
    expect(step(result, 'connect')).toMatchObject({
      outcome: 'failed',
      detail: expect.stringContaining('rejected the credentials of user "elastic" (401'),
      hint: expect.stringContaining('ES_PASSWORD'),
    });
    await client.close();
  });

  it('points at ES_CA_FILE when the certificate cannot be verified', async () => {
    const { run, client } = secured({ caFile: undefined });
    const result = await run();
    expect(step(result, 'connect')).toMatchObject({ outcome: 'failed', hint: expect.stringContaining('ES_CA_FILE') });
    await client.close();
  });

  it('points at https when plain HTTP is spoken to an HTTPS node', async () => {
    const { run, client } = secured({ urls: [secureEs().urls[0].replace('https:', 'http:')], caFile: undefined });
    const result = await run();
    expect(step(result, 'connect')).toMatchObject({ outcome: 'failed', hint: expect.stringContaining('use https://') });
    await client.close();
  });

  it('plans the users in a dry run without touching security', async () => {
    const { run, client } = secured();
    const result = await run({ dryRun: true, createUsers: true });
    expect(step(result, 'users').outcome).toBe('would-create');
    expect(await client.userExists('dreamfactory_insights_proxy')).toBe(false);
    await client.close();
  });
});
