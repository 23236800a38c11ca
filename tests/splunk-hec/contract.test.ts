/**
 * Pins the test HEC to Splunk's published protocol: endpoints, token auth, reply bodies and HTTP codes, batches,
 * gzip, busy, and indexer acknowledgement with channels. Requests are written out by hand here, as any HEC client
 * would send them.
 */
import { gzipSync } from 'node:zlib';
import { HecServer } from './hec-server';

const TOKEN = '11111111-2222-3333-4444-555555555555';
const ACK_TOKEN = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const DISABLED = '99999999-9999-9999-9999-999999999999';
const CHANNEL = '0a1b2c3d-0000-4000-8000-123456789abc';

let hec: HecServer;

beforeEach(async () => {
  hec = await new HecServer({
    tokens: {
      [TOKEN]: { defaultIndex: 'main', allowedIndexes: ['main', 'dreamfactory'] },
      [ACK_TOKEN]: { ack: true },
      [DISABLED]: { disabled: true },
    },
  }).start();
});

afterEach(() => hec.stop());

async function post(path: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = { authorization: `Splunk ${TOKEN}` }) {
  const res = await fetch(`${hec.url}${path}`, { method: 'POST', headers, body });
  return { status: res.status, body: await res.json() };
}

describe('HEC data endpoints', () => {
  it('accepts a batch of concatenated event objects on /services/collector and /services/collector/event', async () => {
    const batch = '{"event":{"message":"a"},"sourcetype":"dreamfactory","index":"dreamfactory","time":1700000000.5}\n{"event":"b"}';
    expect(await post('/services/collector', batch)).toEqual({ status: 200, body: { text: 'Success', code: 0 } });
    expect(await post('/services/collector/event', '{"event":"c","host":"df-1","source":"gelf"}')).toEqual({ status: 200, body: { text: 'Success', code: 0 } });
    expect(hec.events.map((e) => [e.index, e.event, e.sourcetype, e.time])).toEqual([
      ['dreamfactory', { message: 'a' }, 'dreamfactory', 1700000000.5],
      ['main', 'b', undefined, undefined],
      ['main', 'c', undefined, undefined],
    ]);
  });

  it('reads gzip bodies', async () => {
    const res = await post('/services/collector/event', new Uint8Array(gzipSync('{"event":"zipped"}')), { authorization: `Splunk ${TOKEN}`, 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(hec.events[0].event).toBe('zipped');
  });

  it('answers "No data" to an empty body', async () => {
    expect(await post('/services/collector/event', '')).toEqual({ status: 400, body: { text: 'No data', code: 5 } });
  });

  it('keeps the events before the first bad one and names it in invalid-event-number', async () => {
    expect(await post('/services/collector/event', '{"event":"ok"}{"event":"ok2"}{"event": nope}{"event":"after"}')).toEqual({
      status: 400,
      body: { text: 'Invalid data format', code: 6, 'invalid-event-number': 2 },
    });
    expect(hec.events.map((e) => e.event)).toEqual(['ok', 'ok2']);
  });

  it('requires a non-blank event field and an allowed index', async () => {
    expect(await post('/services/collector/event', '{"message":"renamed?"}')).toEqual({
      status: 400,
      body: { text: 'Event field is required', code: 12, 'invalid-event-number': 0 },
    });
    expect(await post('/services/collector/event', '{"event":"x"}{"event":""}')).toEqual({
      status: 400,
      body: { text: 'Event field cannot be blank', code: 13, 'invalid-event-number': 1 },
    });
    expect(await post('/services/collector/event', '{"event":"x","index":"secret"}')).toEqual({
      status: 400,
      body: { text: 'Incorrect index', code: 7, 'invalid-event-number': 0 },
    });
  });
});

describe('HEC token auth', () => {
  it.each([
    ['no header', {}, 401, { text: 'Token is required', code: 2 }],
    ['Bearer instead of Splunk', { authorization: `Bearer ${TOKEN}` }, 401, { text: 'Invalid authorization', code: 3 }],
    ['unknown token', { authorization: 'Splunk 00000000-0000-0000-0000-000000000000' }, 403, { text: 'Invalid token', code: 4 }],
    ['disabled token', { authorization: `Splunk ${DISABLED}` }, 403, { text: 'Token disabled', code: 1 }],
  ])('%s', async (_name, headers, status, body) => {
    expect(await post('/services/collector/event', '{"event":"x"}', headers as Record<string, string>)).toEqual({ status, body });
    expect(hec.events).toEqual([]);
  });
});

describe('HEC busy and health', () => {
  it('answers 503 "Server is busy" while busy, keeps nothing, and reports unhealthy', async () => {
    hec.busy(2);
    expect(await fetch(`${hec.url}/services/collector/health`).then(async (r) => [r.status, await r.json()])).toEqual([
      503,
      { text: 'HEC is unhealthy, queues are full', code: 18 },
    ]);
    expect(await post('/services/collector/event', '{"event":"x"}')).toEqual({ status: 503, body: { text: 'Server is busy', code: 9 } });
    expect(await post('/services/collector/event', '{"event":"x"}')).toEqual({ status: 503, body: { text: 'Server is busy', code: 9 } });
    expect(await post('/services/collector/event', '{"event":"x"}')).toEqual({ status: 200, body: { text: 'Success', code: 0 } });
    expect(hec.events).toHaveLength(1);
    expect(await fetch(`${hec.url}/services/collector/health`).then(async (r) => [r.status, await r.json()])).toEqual([200, { text: 'HEC is healthy', code: 17 }]);
  });
});

describe('HEC indexer acknowledgement', () => {
  const withChannel = { authorization: `Splunk ${ACK_TOKEN}`, 'x-splunk-request-channel': CHANNEL };

  it('needs a GUID channel on data requests', async () => {
    expect(await post('/services/collector/event', '{"event":"x"}', { authorization: `Splunk ${ACK_TOKEN}` })).toEqual({
      status: 400,
      body: { text: 'Data channel is missing', code: 10 },
    });
    expect(await post('/services/collector/event', '{"event":"x"}', { authorization: `Splunk ${ACK_TOKEN}`, 'x-splunk-request-channel': 'not-a-guid' })).toEqual({
      status: 400,
      body: { text: 'Invalid data channel', code: 11 },
    });
    expect(hec.events).toEqual([]);
  });

  it('gives each request an ackId per channel and reports it indexed on /services/collector/ack', async () => {
    expect(await post('/services/collector/event', '{"event":"x"}', withChannel)).toEqual({ status: 200, body: { text: 'Success', code: 0, ackId: 0 } });
    expect(await post(`/services/collector/event?channel=${CHANNEL}`, '{"event":"y"}', { authorization: `Splunk ${ACK_TOKEN}` })).toEqual({
      status: 200,
      body: { text: 'Success', code: 0, ackId: 1 },
    });
    expect(await post('/services/collector/ack', '{"acks":[0,1,7]}', withChannel)).toEqual({ status: 200, body: { acks: { '0': true, '1': true, '7': false } } });
    expect(hec.events.map((e) => e.channel)).toEqual([CHANNEL, CHANNEL]);
  });

  it('answers "ACK is disabled" for a token without acknowledgement', async () => {
    expect(await post('/services/collector/ack', '{"acks":[0]}', { authorization: `Splunk ${TOKEN}`, 'x-splunk-request-channel': CHANNEL })).toEqual({
      status: 400,
      body: { text: 'ACK is disabled', code: 14 },
    });
  });
});

describe('HEC outage', () => {
  it('refuses connections while stopped and serves again on the same URL', async () => {
    const url = hec.url;
    await hec.stop();
    await expect(fetch(`${url}/services/collector/health`)).rejects.toThrow();
    await hec.start();
    expect(hec.url).toBe(url);
    expect((await post('/services/collector/event', '{"event":"back"}')).status).toBe(200);
  });
});
