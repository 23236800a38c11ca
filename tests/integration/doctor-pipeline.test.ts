/**
 * The pipeline doctor and GET /api/status on a real proxy (every listener, disk queue, sink) writing to real
 * Elasticsearch: a healthy pipeline passes every stage for every source; a broken one names the failing stage.
 * With UPDATE_STATUS_FIXTURES=1 the answers are saved as the Status page's component-test fixtures.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { PROXY_TOKEN_HEADER, WRITE_GRANTS, WRITE_GRANT_HEADER } from '@shared/headers';
import { runDoctor } from '../../proxy/src/doctor/run-doctor';
import { templateNameFor } from '../../proxy/src/setup/index-template';
import { eventQuery } from '../../proxy/src/query/builder';
import { PROBE_FIELD } from '../../proxy/src/query/fields';
import { DOCTOR_STAGES, type OperationRun, type RunKind, type StatusResponse } from '@shared/status-api';
import { startTestProxy, type TestProxy } from './ingest-harness';
import { dropIndexTemplate, dropIndices } from './engine-admin';
import { engineProduct, plainEs, uniquePrefix } from './env';

const TOKEN = 'doctor-integration-token-0123456789';
const FIXTURES = join(__dirname, '../../src/components/status/__fixtures__');
const ALL_SOURCES = ['gelf_udp', 'gelf_tcp', 'gelf_http', 'json_udp', 'json_tcp', 'json_http'];

function saveFixture(name: string, value: unknown): void {
  if (process.env.UPDATE_STATUS_FIXTURES === '1') {
    writeFileSync(join(FIXTURES, name), `${JSON.stringify(value, null, 2)}\n`);
  }
}

async function call<T>(
  proxy: TestProxy,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${proxy.httpUrl}/api${path}`, {
    method,
    headers: {
      [PROXY_TOKEN_HEADER]: TOKEN,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** POST /api/setup or /api/doctor (by default as Grafana's Admin route would), then GET the run until it is done. */
async function runToEnd<K extends RunKind>(
  proxy: TestProxy,
  kind: K,
  body: object = {},
  headers: Record<string, string> = { [WRITE_GRANT_HEADER]: WRITE_GRANTS.admin }
): Promise<{ status: number; run: OperationRun<K> }> {
  const started = await call<OperationRun<K>>(proxy, 'POST', `/${kind}`, headers, body);
  let run = started.body;
  while (run.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 250));
    run = (await call<OperationRun<K>>(proxy, 'GET', `/runs/${run.id}`)).body;
  }
  return { status: started.status, run };
}

/** A loopback port nothing listens on (bound, then released). */
async function unusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

describe('doctor and status on a healthy pipeline', () => {
  const prefix = uniquePrefix('doctor');
  let proxy: TestProxy;

  beforeAll(async () => {
    proxy = await startTestProxy({ ...plainEs(), indexPrefix: prefix }, { overrides: { apiToken: TOKEN } });
    const ops = proxy.parts.operations;
    ops.attach({
      sources: proxy.ingest.sources,
      http: { host: '127.0.0.1', port: Number(new URL(proxy.httpUrl).port) },
    });
    await ops.sample();
  });

  afterAll(async () => {
    await proxy.parts.operations.stop();
    await dropIndices(plainEs(), `${prefix}*`);
    await dropIndexTemplate(plainEs(), templateNameFor(prefix));
    await proxy.stop();
  });

  it('refuses setup and the doctor to Editor grants', async () => {
    expect((await call(proxy, 'POST', '/setup', { [WRITE_GRANT_HEADER]: WRITE_GRANTS.editor }, {})).status).toBe(403);
    expect((await call(proxy, 'POST', '/doctor', { [WRITE_GRANT_HEADER]: WRITE_GRANTS.editor }, {})).status).toBe(403);
  });

  it('applies setup through POST /api/setup: a run, answered at once and polled until done', async () => {
    const { status, run } = await runToEnd(proxy, 'setup');
    expect([status, run.state]).toEqual([202, 'done']);
    const body = run.result!;
    expect(body.ok).toBe(true);
    expect(body.steps.find((s) => s.id === 'template')?.outcome).toBe('created');
    // The engine is named with its version, whichever product runs it.
    const product = engineProduct() === 'opensearch' ? 'OpenSearch' : 'Elasticsearch';
    expect(body.steps.find((s) => s.id === 'connect')?.detail).toContain(`${product} ${process.env.TEST_ES_VERSION} at `);
    saveFixture('setup.json', body);
  });

  it('passes every stage for every enabled source', async () => {
    const { status, run } = await runToEnd(proxy, 'doctor');
    expect([status, run.state]).toEqual([202, 'done']);
    const body = run.result!;
    expect(body.problems).toEqual([]);
    expect(body.sources.map((s) => s.source).sort()).toEqual([...ALL_SOURCES].sort());
    for (const source of body.sources) {
      expect({ source: source.source, ok: source.ok, cause: source.cause }).toEqual({
        source: source.source,
        ok: true,
        cause: undefined,
      });
      expect(Object.keys(source.stages).sort()).toEqual([...DOCTOR_STAGES].sort());
      expect(Object.keys(source.stageMs).sort()).toEqual([...DOCTOR_STAGES].sort());
      // Each stage timed on its own: reached in pipeline order, and the stages' own times add up to the whole.
      const reached = DOCTOR_STAGES.map((stage) => source.stages[stage]!);
      expect(reached).toEqual([...reached].sort((a, b) => a - b));
      const own = DOCTOR_STAGES.reduce((sum, stage) => sum + source.stageMs[stage]!, 0);
      expect(Math.abs(own - source.stages.searchable!)).toBeLessThanOrEqual(0.5);
      // Indexing waits for a bulk round trip after the queue append; searchable for a refresh after that.
      expect(source.stages.indexed!).toBeGreaterThan(source.stages.queued!);
      expect(source.stages.searchable!).toBeGreaterThan(source.stages.indexed!);
    }
    // One probe per source, each timed by the pipeline as it passed: no two sources share their timings.
    expect(new Set(body.sources.map((s) => JSON.stringify(s.stages))).size).toBe(body.sources.length);
    expect(body.ok).toBe(true);
    saveFixture('doctor.json', body);
  });

  it("keeps the doctor's probes out of activity queries", async () => {
    const index = `${prefix}*`;
    await proxy.parts.es.refresh(index);
    expect(await proxy.parts.es.count(index, { exists: { field: PROBE_FIELD } })).toBe(ALL_SOURCES.length);
    const lastHour = { fromMs: Date.now() - 3_600_000, toMs: Date.now() + 60_000 };
    expect(await proxy.parts.es.count(index, eventQuery(lastHour))).toBe(0);
  });

  it('reports Elasticsearch, ingest and the proxy in GET /api/status, without secrets', async () => {
    await proxy.parts.operations.sample();
    const { status, body } = await call<StatusResponse>(proxy, 'GET', '/status');
    expect(status).toBe(200);
    expect(body.elasticsearch).toMatchObject({
      reachable: true,
      version: process.env.TEST_ES_VERSION,
      distribution: engineProduct(),
      nodes: { count: Number(process.env.TEST_ES_NODES), dataNodes: Number(process.env.TEST_ES_NODES) },
      template: { name: templateNameFor(prefix), installed: true, installedVersion: 1, expectedVersion: 1 },
      retention: { mode: 'proxy', days: 30 },
    });
    expect(body.elasticsearch.todayIndex).toMatchObject({ exists: true });
    expect(body.elasticsearch.todayIndex!.docsCount).toBeGreaterThanOrEqual(ALL_SOURCES.length);
    expect(body.dreamfactory).toMatchObject({ configured: false, reachable: false });
    for (const source of body.ingest.sources) {
      expect(source).toMatchObject({ enabled: true, received: expect.any(Number) });
      expect(source.received).toBeGreaterThanOrEqual(1);
      expect(source.lastEventAt).toBeDefined();
      expect(source.rate1m).toBeGreaterThan(0);
    }
    expect(body.ingest.indexed).toBeGreaterThanOrEqual(ALL_SOURCES.length);
    expect(body.lastSetup?.ok).toBe(true);
    expect(JSON.stringify(body)).not.toContain(TOKEN);
    saveFixture('status.json', body);
  });

  it('names "received" with DreamFactory settings when nothing arrives on a port', async () => {
    const ops = proxy.parts.operations;
    const port = await unusedPort();
    // GELF UDP pointed at a port no listener owns: the datagram leaves, nothing is received.
    const listeners = ops
      .listeners()
      .map((l) => (l.source === 'gelf_udp' ? { ...l, port } : l))
      .filter((l) => ['gelf_udp', 'json_tcp'].includes(l.source));
    const broken = listeners.map((l) => (l.source === 'json_tcp' ? { ...l, port } : l));
    const result = await runDoctor(
      { ...proxy.parts, ingestSnapshot: proxy.ingest.snapshot, listeners: broken },
      { timeoutMs: 3000 }
    );
    expect(result.ok).toBe(false);
    const udp = result.sources.find((s) => s.source === 'gelf_udp')!;
    expect(udp).toMatchObject({ ok: false, failedStage: 'received' });
    expect(udp.cause).toContain(`protocol "gelf", host = this proxy's address and port ${port}`);
    expect(udp.cause).toMatch(/firewall/);
    const tcp = result.sources.find((s) => s.source === 'json_tcp')!;
    expect(tcp).toMatchObject({ ok: false, failedStage: 'send' });
    expect(tcp.cause).toMatch(/ECONNREFUSED/);
  });
});

describe('doctor and status with Elasticsearch down', () => {
  let proxy: TestProxy;

  beforeAll(async () => {
    const port = await unusedPort();
    proxy = await startTestProxy(
      { ...plainEs(), urls: [`http://127.0.0.1:${port}`], indexPrefix: uniquePrefix('doctor-down') },
      {
        overrides: {
          apiToken: TOKEN,
          ingest: {
            gelfTcp: { enabled: false },
            jsonTcp: { enabled: false },
            jsonHttp: { enabled: false },
            gelfHttpEnabled: false,
          },
        },
      }
    );
    proxy.parts.operations.attach({
      sources: proxy.ingest.sources,
      http: { host: '127.0.0.1', port: Number(new URL(proxy.httpUrl).port) },
    });
  });

  afterAll(async () => {
    await proxy.parts.operations.stop();
    await proxy.stop();
  });

  it('tests only the enabled sources and stops at "indexed", naming Elasticsearch', async () => {
    const { run } = await runToEnd(proxy, 'doctor', { timeoutMs: 3000 }, {});
    const body = run.result!;
    expect(body.ok).toBe(false);
    expect(body.problems.join()).toMatch(/Cannot reach Elasticsearch/);
    expect(body.sources.map((s) => s.source).sort()).toEqual(['gelf_udp', 'json_udp']);
    for (const source of body.sources) {
      expect(source.stages.received).toBeDefined();
      expect(source.stages.transformed).toBeDefined();
      expect(source).toMatchObject({
        failedStage: 'indexed',
        cause: expect.stringContaining('Elasticsearch is unreachable'),
      });
      expect(source.cause).toMatch(/waits in the disk queue \(\d+ queued\)/);
    }
    saveFixture('doctor-es-down.json', body);
  });

  it('shows Elasticsearch as unreachable in the status, with the rest still reported', async () => {
    const { status, body } = await call<StatusResponse>(proxy, 'GET', '/status');
    expect(status).toBe(200);
    expect(body.elasticsearch).toMatchObject({
      reachable: false,
      error: expect.stringContaining('Cannot reach Elasticsearch'),
      hint: expect.stringContaining('ES_URL'),
    });
    expect(body.ingest.sources.filter((s) => s.enabled).map((s) => s.source)).toEqual(['gelf_udp', 'json_udp']);
    expect(body.ingest.queue.events).toBeGreaterThanOrEqual(2);
    saveFixture('status-es-down.json', body);
  });
});
