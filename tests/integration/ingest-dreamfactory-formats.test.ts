/**
 * DreamFactory's four wire formats (GELF UDP incl. its 38-byte-header chunks, plain JSON over UDP, TCP and HTTP) and a
 * real GELF client (Debian ruby-gelf) through the real proxy into a real Elasticsearch with the product's index
 * template: every event indexed once, none rejected by the mapping, users attributed, secrets gone.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildIndexTemplate, templateOptionsFor } from '../../proxy/src/setup/index-template';
import type { DfLogEvent } from '../dreamfactory-sim/log-formats';
import { generateEvents, sendEvent, WireFormat } from '../dreamfactory-sim/sender';
import { plainEs, uniquePrefix } from './env';
import { startTestProxy, TestProxy, waitForDocs } from './ingest-harness';

const HOST = '127.0.0.1';
const SECRET = 'ingest-formats-jwt-secret-0123456789';
const USERS = [
  { id: 1, email: 'admin@example.com', name: 'Ada Admin', is_sys_admin: true },
  { id: 3, email: 'jane@example.com', name: 'Jane Doe' },
  { id: 4, email: 'raj@example.com', name: 'Raj Patel' },
];
const FORMATS: Array<[WireFormat, 'gelf_udp' | 'json_udp' | 'json_tcp' | 'json_http']> = [
  ['gelf-udp', 'gelf_udp'],
  ['json-udp', 'json_udp'],
  ['json-tcp', 'json_tcp'],
  ['json-http', 'json_http'],
];

interface Doc {
  message: string;
  level_name: string;
  user?: { id: string; email?: string };
  event: { request: { parameters?: { seq?: number }; method: string; path: string }; response: { status_code: number } };
  source_hostname?: string;
}

describe('DreamFactory wire formats into the engine', () => {
  let proxy: TestProxy;
  const prefix = uniquePrefix('df-formats');

  beforeAll(async () => {
    proxy = await startTestProxy({ ...plainEs(), indexPrefix: prefix });
    await proxy.parts.es.putIndexTemplate(`${prefix}template`, buildIndexTemplate(prefix, templateOptionsFor(await proxy.parts.es.info())));
  });
  afterAll(() => proxy?.stop());

  it('indexes every event of every format once, with users attributed and no secrets', async () => {
    const events = await generateEvents({ count: 80, users: USERS, jwtSecret: SECRET, seed: 11, sequence: true, tableTwins: true });
    const twins = events.filter((e) => e.message.includes('{table_name}')).length;
    const sentBySeq = new Map<number, DfLogEvent>();
    for (const [i, event] of events.entries()) {
      const [format, source] = FORMATS[i % FORMATS.length];
      await sendEvent(format, HOST, proxy.port(source), event);
      const seq = (event.event as { request: { parameters: { seq?: number } } }).request.parameters.seq;
      if (!event.message.includes('{table_name}') && seq !== undefined) {
        sentBySeq.set(seq, event);
      }
    }
    // One message too big for a datagram: DreamFactory's chunked layout, which Logstash loses.
    const big: DfLogEvent = { ...events[0], message: 'big.response', event: { ...events[0].event, response: { status_code: 200, content: { rows: Array.from({ length: 5000 }, (_, i) => `row-${(i * 2654435761) >>> 0}`) } } } };
    await sendEvent('gelf-udp', HOST, proxy.port('gelf_udp'), big);
    await promisify(execFile)('ruby', ['-e', `require 'gelf'; GELF::Notifier.new('${HOST}', ${proxy.port('gelf_udp')}, 'WAN').notify!(short_message: 'from ruby', _big: 'x' * 5000)`]);

    const expected = events.length - twins + 2;
    const docs = await waitForDocs<Doc>(proxy.parts.es, `${prefix}*`, expected);
    expect(docs).toHaveLength(expected);
    expect(await proxy.metric('insights_sink_dead_lettered_total')).toBe(0);
    expect(twins).toBeGreaterThan(0);
    const twinDrops = await Promise.all(FORMATS.map(([, source]) => proxy.metric('insights_ingest_dropped_total', { source, reason: 'duplicate_event' })));
    expect(twinDrops.reduce((a, b) => a + b, 0)).toBe(twins);

    for (const { source } of docs.filter((d) => d.source.event?.request?.parameters?.seq !== undefined && d.source.message !== 'big.response')) {
      const sent = sentBySeq.get(Number(source.event.request.parameters!.seq))!;
      const sessionUser = (sent.platform as { session: { user?: { id: number; email: string } } }).session.user;
      expect(source.message).toBe(sent.message);
      expect(source.user?.id).toBe(sessionUser ? String(sessionUser.id) : undefined);
      expect(source.event.request.path).toMatch(/^\/api\/v2\/[^?]+$/);
    }
    expect(docs.find((d) => d.source.message === 'big.response')).toBeDefined();
    expect(docs.find((d) => d.source.message === 'from ruby')).toBeDefined();
    const everything = JSON.stringify(docs);
    expect(everything).not.toMatch(/eyJhbGciOi/);
    expect(everything).not.toContain('a6f3c9d2e1b0f4a7');
  });
});
