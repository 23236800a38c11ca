/**
 * No secret leaves the proxy: after a realistic run (DreamFactory traffic carrying session tokens and API keys in
 * every supported wire format, every API endpoint called, bad requests made), none of the secrets appears in any
 * Elasticsearch document, any proxy log line (at debug level), /metrics, /api/status, or any response body.
 */
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DREAMFACTORY_API_KEY_HEADER, DREAMFACTORY_SESSION_TOKEN_HEADER, PROXY_TOKEN_HEADER } from '@shared/headers';
import { loadConfig } from '../../proxy/src/config';
import { buildProxyServer, createProxyParts, ingestDeps, type ProxyParts } from '../../proxy/src/compose';
import { createLogger } from '../../proxy/src/logger';
import { Ingest, startIngest } from '../../proxy/src/pipeline';
import { buildIndexTemplate, TEMPLATE_NAME } from '../../proxy/src/setup/index-template';
import type { DfLogEvent } from '../dreamfactory-sim/log-formats';
import { generateEvents, sendEvent, WireFormat } from '../dreamfactory-sim/sender';
import { Simulator, startSimulator } from '../dreamfactory-sim/server';
import { secureEs, uniquePrefix } from './env';

const LOOPBACK = { host: '127.0.0.1', port: 0 };
const PROXY_TOKEN = 'secret-proxy-token-0123456789abcdef';
const FORMATS: WireFormat[] = ['gelf-udp', 'json-udp', 'json-tcp', 'json-http'];

class MemoryLog extends Writable {
  lines: string[] = [];
  _write(chunk: Buffer, _enc: string, done: () => void) {
    this.lines.push(chunk.toString());
    done();
  }
}

/** Session tokens and API keys as they appear in the generated DreamFactory events. */
function secretsIn(events: DfLogEvent[]): string[] {
  const found = new Set<string>();
  for (const event of events) {
    const headers = (event.event?.request as { headers?: Record<string, string> } | undefined)?.headers ?? {};
    for (const [name, value] of Object.entries(headers)) {
      if ([DREAMFACTORY_SESSION_TOKEN_HEADER, DREAMFACTORY_API_KEY_HEADER].includes(name)) {
        found.add(value);
      }
      if (name === 'authorization') {
        found.add(value.replace(/^Bearer\s+/i, ''));
      }
    }
  }
  return [...found];
}

describe('secrets never leave the proxy', () => {
  let sim: Simulator;
  let parts: ProxyParts;
  let ingest: Ingest;
  let app: FastifyInstance;
  let queueDir: string;
  const log = new MemoryLog();
  const responses: string[] = [];
  let events: DfLogEvent[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ users: 20, admins: 2, seed: 5 });
    queueDir = mkdtempSync(join(tmpdir(), 'dfi-secrets-'));
    const es = secureEs();
    const config = loadConfig(
      {},
      {
        apiToken: PROXY_TOKEN,
        logLevel: 'debug',
        server: LOOPBACK,
        elasticsearch: { ...es, indexPrefix: uniquePrefix('secrets') },
        dreamfactory: { url: sim.url, apiKey: sim.apiKey },
        ingest: { gelfUdp: LOOPBACK, gelfTcp: LOOPBACK, jsonUdp: LOOPBACK, jsonTcp: LOOPBACK, jsonHttp: LOOPBACK },
        queue: { dir: queueDir },
        sink: { flushIntervalMs: 100 },
      }
    );
    parts = createProxyParts(config, createLogger('debug', log));
    await parts.es.putIndexTemplate(TEMPLATE_NAME, buildIndexTemplate(config.elasticsearch.indexPrefix));
    ingest = await startIngest(ingestDeps(parts));
    app = await buildProxyServer(parts, ingest);
    await app.listen(LOOPBACK);

    const admins = new Set(sim.store.adminUsers().map((u) => u.id));
    events = await generateEvents({
      count: 80,
      users: sim.store.users.map((u) => ({ id: u.id, email: u.email, name: u.name ?? u.username, is_sys_admin: admins.has(u.id) })),
      jwtSecret: sim.jwtSecret,
      seed: 9,
    });
    for (const [i, event] of events.entries()) {
      const format = FORMATS[i % FORMATS.length];
      const source = ingest.sources.find((s) => s.name === format.replace('-', '_'));
      await sendEvent(format, '127.0.0.1', source!.address().port, event);
    }
    // Every endpoint a browser or an operator can reach, with and without the token.
    const auth = { [PROXY_TOKEN_HEADER]: PROXY_TOKEN };
    const now = new Date();
    const range = { from: new Date(now.getTime() - 86400000).toISOString(), to: new Date(now.getTime() + 60000).toISOString() };
    const calls: Array<{ method: 'GET' | 'POST' | 'DELETE'; url: string; payload?: unknown; headers?: Record<string, string> }> = [
      { method: 'GET', url: '/health' },
      { method: 'GET', url: '/metrics' },
      { method: 'GET', url: '/api/status', headers: auth },
      { method: 'GET', url: '/api/status' },
      { method: 'GET', url: '/api/status', headers: { [PROXY_TOKEN_HEADER]: 'wrong-token-wrong-token' } },
      { method: 'GET', url: '/api/datasource-health', headers: auth },
      { method: 'GET', url: '/api/limits', headers: auth },
      { method: 'GET', url: '/api/limit-counters', headers: auth },
      { method: 'GET', url: '/api/directory/users', headers: auth },
      { method: 'GET', url: '/api/variables/users', headers: auth },
      { method: 'POST', url: '/api/limits', headers: auth, payload: { name: 'bad', type: 'instance.user', rate: 0, period: 'minute' } },
      ...(['activity', 'timeseries', 'logs', 'users', 'limits', 'limitCounters'] as const).map((queryType) => ({
        method: 'POST' as const,
        url: '/api/query',
        headers: auth,
        payload: { range, queries: [{ refId: 'A', queryType }] },
      })),
    ];
    // Wait until everything accepted is searchable, so the scan sees every document.
    const pattern = `${config.elasticsearch.indexPrefix}*`;
    for (let i = 0; i < 120; i++) {
      await parts.es.refresh(pattern).catch(() => undefined);
      // A daily index created a moment ago may not have its shard started yet (503): that is "not yet", not a failure.
      if ((await parts.es.count(pattern).catch(() => 0)) >= events.length) {
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const call of calls) {
      const response = await app.inject({ method: call.method, url: call.url, payload: call.payload as object, headers: call.headers });
      responses.push(`${call.method} ${call.url} ${response.statusCode}\n${JSON.stringify(response.headers)}\n${response.body}`);
    }
  });

  afterAll(async () => {
    await app?.close();
    await ingest?.stop();
    await parts?.es.close();
    await sim?.close();
    rmSync(queueDir, { recursive: true, force: true });
  });

  it('the traffic really carried secrets and was indexed', async () => {
    expect(secretsIn(events).length).toBeGreaterThan(5);
    const pattern = `${parts.config.elasticsearch.indexPrefix}*`;
    expect(await parts.es.count(pattern)).toBeGreaterThanOrEqual(events.length);
    // Users were still attributed from the (now removed) tokens.
    const withUser = await parts.es.search(pattern, { size: 0, query: { exists: { field: 'user.id' } } });
    expect((withUser.hits.total as { value: number }).value).toBeGreaterThan(0);
  });

  it('no secret appears in any document, log line, metric or response', async () => {
    const secrets = [PROXY_TOKEN, sim.apiKey, parts.config.elasticsearch.password!, ...secretsIn(events)];
    const pattern = `${parts.config.elasticsearch.indexPrefix}*`;
    const docs = await parts.es.search(pattern, { size: 10000, query: { match_all: {} } });
    const haystacks: Record<string, string> = {
      'Elasticsearch documents': JSON.stringify(docs.hits.hits.map((h) => h._source)),
      'proxy log': log.lines.join(''),
      'API responses': responses.join('\n'),
    };
    expect(log.lines.length).toBeGreaterThan(10);
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of secrets) {
        if (text.includes(secret)) {
          throw new Error(`a secret (${secret.slice(0, 6)}…) appears in ${where}`);
        }
      }
    }
  });
});
