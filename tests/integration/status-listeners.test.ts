/**
 * The listener rows of GET /api/status on a real proxy (every listener on port 0, GELF TCP disabled) writing to real
 * Elasticsearch: each source at the port the kernel gave it, and a state that follows what it received.
 */
import { PROXY_TOKEN_HEADER } from '@shared/headers';
import { RECEIVING_WINDOW_MS, type SourceStatus, type StatusResponse } from '@shared/status-api';
import { collectStatus } from '../../proxy/src/status/collect-status';
import { templateNameFor } from '../../proxy/src/setup/index-template';
import { postGelf, startTestProxy, type TestProxy } from './ingest-harness';
import { plainEs, uniquePrefix } from './env';

const TOKEN = 'status-listeners-token-0123456789';
const LISTENING = ['gelf_udp', 'json_udp', 'json_tcp', 'json_http'] as const;
/** Port 0: the kernel picks, and the status must show its pick. */
const EPHEMERAL = { host: '127.0.0.1', port: 0 };

describe('listener rows in GET /api/status', () => {
  const prefix = uniquePrefix('listeners');
  let proxy: TestProxy;
  let httpPort: number;

  const status = async (): Promise<StatusResponse> => {
    const response = await fetch(`${proxy.httpUrl}/api/status`, { headers: { [PROXY_TOKEN_HEADER]: TOKEN } });
    expect(response.status).toBe(200);
    return (await response.json()) as StatusResponse;
  };
  const row = (answer: StatusResponse, source: string): SourceStatus =>
    answer.ingest.sources.find((s) => s.source === source)!;

  beforeAll(async () => {
    proxy = await startTestProxy(
      { ...plainEs(), indexPrefix: prefix },
      {
        overrides: {
          apiToken: TOKEN,
          ingest: {
            gelfUdp: EPHEMERAL,
            gelfTcp: { enabled: false },
            jsonUdp: EPHEMERAL,
            jsonTcp: EPHEMERAL,
            jsonHttp: EPHEMERAL,
          },
        },
      }
    );
    httpPort = Number(new URL(proxy.httpUrl).port);
    proxy.parts.operations.attach({ sources: proxy.ingest.sources, http: { host: '127.0.0.1', port: httpPort } });
  });

  afterAll(async () => {
    await proxy.parts.operations.stop();
    await proxy.parts.es.raw.indices.delete({ index: `${prefix}*`, ignore_unavailable: true });
    await proxy.parts.es.raw.indices.deleteIndexTemplate({ name: templateNameFor(prefix) }, { ignore: [404] });
    await proxy.stop();
  });

  it('shows each source at the address and port it is bound to, and a disabled source as disabled', async () => {
    const answer = await status();
    for (const source of LISTENING) {
      expect(row(answer, source)).toMatchObject({ enabled: true, host: '127.0.0.1', port: proxy.port(source) });
      expect(row(answer, source).port).toBeGreaterThan(0);
    }
    expect(row(answer, 'gelf_http')).toMatchObject({ enabled: true, host: '127.0.0.1', port: httpPort, path: '/gelf' });
    expect(row(answer, 'gelf_tcp')).toMatchObject({ enabled: false, activity: 'disabled' });
  });

  it('moves a source from never received to receiving, and to idle a minute after its last message', async () => {
    const quiet = await status();
    for (const source of [...LISTENING, 'gelf_http']) {
      expect(row(quiet, source)).toMatchObject({ activity: 'never_received', received: 0, rate1m: 0 });
      expect(row(quiet, source).lastReceivedAt).toBeUndefined();
    }
    expect(
      await postGelf(proxy.httpUrl, { version: '1.1', host: 'status-test', short_message: 'listener state' })
    ).toBe(202);

    const busy = await status();
    const gelfHttp = row(busy, 'gelf_http');
    expect(gelfHttp).toMatchObject({ activity: 'receiving', received: 1 });
    expect(gelfHttp.rate1m).toBeGreaterThan(0);
    expect(busy.ingest.sources.filter((s) => s.activity === 'receiving').map((s) => s.source)).toEqual(['gelf_http']);

    // The same numbers seen a minute and a second after the message: nothing new, so idle since that message.
    const ops = proxy.parts.operations;
    const later = await collectStatus(proxy.parts, {
      ingest: proxy.parts.metrics.ingest.snapshot(),
      rates: ops.rates,
      listeners: ops.listeners(),
      now: new Date(Date.parse(gelfHttp.lastReceivedAt!) + RECEIVING_WINDOW_MS + 1000),
    });
    expect(row(later, 'gelf_http')).toMatchObject({
      activity: 'idle',
      lastReceivedAt: gelfHttp.lastReceivedAt,
      received: 1,
    });
    expect(row(later, 'json_udp')).toMatchObject({ activity: 'never_received' });
  });
});
