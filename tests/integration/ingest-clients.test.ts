/**
 * Every ingest source fed by real senders — Debian ruby-gelf, npm gelf-pro, and the DreamFactory simulator's sender in
 * all four of DreamFactory's wire formats — and the resulting documents read back from a real Elasticsearch.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { DREAMFACTORY_API_KEY_HEADER, DREAMFACTORY_SESSION_TOKEN_HEADER } from '@shared/headers';
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { DF_LEVELS, DfLogEvent } from '../dreamfactory-sim/log-formats';
import { generateEvents, sendEvent, WireFormat } from '../dreamfactory-sim/sender';
import { plainEs, secureEs, secureEsRuns, uniquePrefix } from './env';
import { IndexedDoc, startTestProxy, TestProxy, waitForDocs } from './ingest-harness';

type Doc = Record<string, any>;

interface GelfPro {
  config: unknown;
  adapter: unknown;
  setConfig(config: Record<string, unknown>): GelfPro;
  message(message: string, level: number, extra: Record<string, unknown>, cb: (err: Error | null) => void): void;
}
// gelf-pro is CommonJS without types; its adapter is a singleton, reset between transports.
const gelfPro: GelfPro = require('gelf-pro');

const USERS = [
  { id: 7, email: 'jane@example.com', name: 'Jane Doe' },
  { id: 9, email: 'raj@example.com', name: 'Raj Patel' },
];
const JWT_SECRET = 'ingest-clients-jwt-secret';

/** `<prefix>YYYY.MM.dd` of an instant, in UTC, computed independently of the sink. */
const dayIndex = (prefix: string, ms: number) => `${prefix}${new Date(ms).toISOString().slice(0, 10).replace(/-/g, '.')}`;

interface TaggedEvent {
  event: DfLogEvent;
  /** Unique per event, in a header the proxy keeps, to find its document. */
  testId: string;
  /** The user whose session JWT the event carries. */
  userId: string;
}

/**
 * DreamFactory events, two per user, whose user can only come from the session JWT: the `_platform` context (which
 * also names the user) is left out.
 */
async function dfEvents(host: string, tag: string): Promise<TaggedEvent[]> {
  const tagged: TaggedEvent[] = [];
  for (const user of USERS) {
    const events = await generateEvents({ count: 2, users: [user], jwtSecret: JWT_SECRET, host, apiKeyOnlyShare: 0, seed: user.id });
    for (const { platform, ...event } of events) {
      const testId = `${tag}-${tagged.length}`;
      headersOf(event)['x-test-id'] = testId;
      tagged.push({ event, testId, userId: String(user.id) });
    }
  }
  return tagged;
}

function headersOf(event: DfLogEvent): Record<string, string> {
  return (event.event!.request as { headers: Record<string, string> }).headers;
}

/** Documents of the tagged events, in the same order. */
async function findTagged(reader: ElasticsearchClient, pattern: string, tagged: TaggedEvent[]): Promise<Array<IndexedDoc<Doc>>> {
  const ids = tagged.map((t) => t.testId);
  const docs = await waitForDocs<Doc>(reader, pattern, ids.length, { query: { terms: { 'event.request.headers.x-test-id.keyword': ids } } });
  return tagged.map((t) => docs.find((d) => d.source.event.request.headers['x-test-id'] === t.testId)!);
}

/** Checks one DreamFactory event against its document, field by field. */
function expectDfDocument(found: IndexedDoc<Doc>, event: DfLogEvent, format: WireFormat, prefix: string, userId: string, receivedWithin: [number, number]): void {
  const doc = found.source;
  const stamp = Date.parse(doc['@timestamp']);
  if (format === 'gelf-udp') {
    expect(Math.abs(stamp - event.timestamp * 1000)).toBeLessThan(1);
    expect(doc.source_hostname).toBe(event.host);
    expect(doc.host).toEqual({ name: event.host });
  } else {
    // DreamFactory's JSON modes carry no timestamp or host: receive time, and no host fields.
    expect(stamp).toBeGreaterThanOrEqual(receivedWithin[0]);
    expect(stamp).toBeLessThanOrEqual(receivedWithin[1]);
    expect(doc.source_hostname).toBeUndefined();
  }
  expect(found.index).toBe(dayIndex(prefix, stamp));
  expect(doc.message).toBe(event.message);
  expect(doc.level).toBe(DF_LEVELS.indexOf(event.level));
  expect(doc.level_name).toBe(event.level);
  expect(doc.user?.id).toBe(userId);
  expect(doc.source_host).toBe('127.0.0.1');
  // Secrets: the key stays visible as present, the value never reaches Elasticsearch.
  const headers = headersOf(event);
  const stored = JSON.stringify(doc);
  for (const secret of [headers[DREAMFACTORY_API_KEY_HEADER], headers[DREAMFACTORY_SESSION_TOKEN_HEADER], headers.authorization].filter(Boolean)) {
    expect(stored).not.toContain(secret.replace(/^Bearer /, ''));
  }
  // Replaced by a marker keeping the key's fingerprint.
  expect(doc.event.request.headers[DREAMFACTORY_API_KEY_HEADER]).toMatch(/^\[redacted:[0-9a-f]{8}\]$/);
  expect(doc.event.request.method).toBe((event.event!.request as { method: string }).method);
  expect(doc.event.response.status_code).toBe((event.event!.response as { status_code: number }).status_code);
}

describe('ingest from real clients into the engine', () => {
  const prefix = uniquePrefix('clients');
  let proxy: TestProxy;
  let reader: ElasticsearchClient;

  beforeAll(async () => {
    proxy = await startTestProxy({ ...plainEs(), indexPrefix: prefix });
    reader = new ElasticsearchClient(plainEs());
  });
  afterAll(async () => {
    await proxy.stop();
    await reader.close();
  });

  const docsFrom = async (hostname: string, count: number) =>
    (await waitForDocs<Doc>(reader, `${prefix}*`, count, { query: { term: { 'source_hostname.keyword': hostname } } })).sort((a, b) =>
      String(a.source.message).localeCompare(String(b.source.message))
    );

  it('Debian ruby-gelf over UDP (zlib, 1420-byte chunks)', async () => {
    const before = Date.now();
    const script = `
      require 'gelf'; require 'json'
      n = GELF::Notifier.new('127.0.0.1', ${proxy.port('gelf_udp')}, 'WAN', 'host' => 'ruby-gelf-host')
      n.level_mapping = :direct
      big = Random.new(7).bytes(6000).unpack1('H*')
      n.notify!(short_message: 'ruby small', level: GELF::ERROR, _seq: 1, _request: { 'method' => 'GET' })
      n.notify!(short_message: 'ruby big', full_message: big, level: GELF::INFO, _seq: 2)
      print JSON.generate(big: big)`;
    const { stdout } = await promisify(execFile)('ruby', ['-e', script]);
    const { big } = JSON.parse(stdout) as { big: string };
    const [small, chunked] = await docsFrom('ruby-gelf-host', 2).then((docs) => docs.sort((a, b) => a.source.seq - b.source.seq));

    expect(small.source).toMatchObject({ message: 'ruby small', level: 3, level_name: 'ERROR', seq: 1, request: { method: 'GET' }, host: { name: 'ruby-gelf-host' } });
    // Remap: a non-empty full_message becomes `message`; the short one is kept beside it.
    expect(chunked.source).toMatchObject({ message: big, short_message: 'ruby big', level: 6, level_name: 'INFO', seq: 2 });
    for (const doc of [small, chunked]) {
      const stamp = Date.parse(doc.source['@timestamp']);
      expect(stamp).toBeGreaterThanOrEqual(before - 1000);
      expect(doc.index).toBe(dayIndex(prefix, stamp));
    }
  });

  it('npm gelf-pro over UDP (always chunked) and TCP (NUL-delimited)', async () => {
    const send = (adapterName: 'udp' | 'tcp', port: number, message: string, extra: Record<string, unknown>) =>
      new Promise<void>((resolve, reject) => {
        gelfPro.adapter = undefined;
        gelfPro.setConfig({ adapterName, adapterOptions: { host: '127.0.0.1', port, protocol: 'udp4', family: 4 } });
        gelfPro.message(message, 4, extra, (err) => (err ? reject(err) : resolve()));
      });
    const large = randomBytes(3000).toString('hex'); // several 1388-byte chunks once compressed
    await send('udp', proxy.port('gelf_udp'), 'gelf-pro udp', { host: 'gelf-pro-host', full_message: large, request: { method: 'POST' } });
    await send('tcp', proxy.port('gelf_tcp'), 'gelf-pro tcp', { host: 'gelf-pro-host', user_agent: 'gelf-pro/1.4.0' });

    const docs = await docsFrom('gelf-pro-host', 2);
    const tcp = docs.find((d) => d.source.message === 'gelf-pro tcp')!;
    const udp = docs.find((d) => d.source.message === large)!;
    // gelf-pro flattens nested extras to `_request_method`; the leading underscore goes, as in Logstash.
    expect(udp.source).toMatchObject({ short_message: 'gelf-pro udp', level: 4, level_name: 'WARNING', request_method: 'POST', host: { name: 'gelf-pro-host' } });
    expect(tcp.source).toMatchObject({ level: 4, level_name: 'WARNING', user_agent: 'gelf-pro/1.4.0', source_hostname: 'gelf-pro-host' });
    for (const doc of [udp, tcp]) {
      expect(doc.index).toBe(dayIndex(prefix, Date.parse(doc.source['@timestamp'])));
    }
  });

  it.each<WireFormat>(['gelf-udp', 'json-udp', 'json-tcp', 'json-http'])('the DreamFactory sender in %s mode', async (format) => {
    const tagged = await dfEvents(`df-${format}`, format);
    const source = { 'gelf-udp': 'gelf_udp', 'json-udp': 'json_udp', 'json-tcp': 'json_tcp', 'json-http': 'json_http' } as const;
    const before = Date.now();
    for (const { event } of tagged) {
      await sendEvent(format, '127.0.0.1', proxy.port(source[format]), event);
    }
    const after = Date.now() + 1000;
    const docs = await findTagged(reader, `${prefix}*`, tagged);
    tagged.forEach((t, i) => expectDfDocument(docs[i], t.event, format, prefix, t.userId, [before, after]));
  });

  it('a DreamFactory GELF message over 100 KB, in its 38-byte-header chunk format', async () => {
    const [big] = await dfEvents('df-big', 'big');
    const blob = randomBytes(80 * 1024).toString('base64'); // ~107 KB of text, ~80 KB compressed: 10+ DF chunks
    (big.event.event!.request as Record<string, unknown>).payload = { blob };
    const datagrams = (await sendEvent('gelf-udp', '127.0.0.1', proxy.port('gelf_udp'), big.event)) as number;
    expect(datagrams).toBeGreaterThan(8);
    const [doc] = await findTagged(reader, `${prefix}*`, [big]);
    expectDfDocument(doc, big.event, 'gelf-udp', prefix, big.userId, [0, 0]);
    expect(doc.source.event.request.payload.blob).toBe(blob);
  });
});
// Security is an Elasticsearch 8 node of the full run: OpenSearch's test distribution has no security plugin.
(secureEsRuns ? describe : describe.skip)('ingest into a secured Elasticsearch (HTTPS, basic auth, CA file)', () => {
  it('indexes DreamFactory GELF events with the user from the JWT', async () => {
    const prefix = uniquePrefix('secure');
    const proxy = await startTestProxy({ ...secureEs(), indexPrefix: prefix });
    const reader = new ElasticsearchClient(secureEs());
    try {
      const tagged = await dfEvents('df-secure', 'secure');
      for (const { event } of tagged) {
        await sendEvent('gelf-udp', '127.0.0.1', proxy.port('gelf_udp'), event);
      }
      const docs = await findTagged(reader, `${prefix}*`, tagged);
      tagged.forEach((t, i) => expectDfDocument(docs[i], t.event, 'gelf-udp', prefix, t.userId, [0, 0]));
      expect(await proxy.metric('insights_elasticsearch_up')).toBe(1);
    } finally {
      await proxy.stop();
      await reader.close();
    }
  });
});
