/** DreamFactory's plain-JSON udp, tcp and http protocols, sent by the DreamFactory sender into the real listeners. */
import { sendJsonHttp, sendJsonTcp, sendJsonUdp, sendTcpBytes, sendUdpDatagrams } from '../../dreamfactory-sim/sender';
import type { DfLogEvent } from '../../dreamfactory-sim/log-formats';
import type { Source } from '../../../proxy/src/pipeline-types';
import { startJsonHttpSource } from '../../../proxy/src/sources/json-http';
import { startJsonTcpSource } from '../../../proxy/src/sources/json-tcp';
import { startJsonUdpSource } from '../../../proxy/src/sources/json-udp';
import { createSourceHarness, SourceHarness, waitFor } from '../../../proxy/src/sources/test-harness';

const HOST = '127.0.0.1';
const MAX = 64 * 1024;

const event: DfLogEvent = {
  message: 'Admin Login',
  level: 'ALERT',
  timestamp: 1716800000.5,
  host: 'df01',
  event: { request: { method: 'POST', uri: '/api/v2/system/admin/session' } },
};
const expectedBody = { _event: { request: { method: 'POST', uri: '/api/v2/system/admin/session' } }, _message: 'Admin Login', _level: 550 };

describe('DreamFactory plain-JSON sources', () => {
  let h: SourceHarness;
  const sources: Source[] = [];
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.close()));
  });
  beforeEach(() => {
    h = createSourceHarness();
  });

  it('udp: one datagram is one message; garbage is counted and the listener keeps going', async () => {
    const source = await startJsonUdpSource({ host: HOST, port: 0, recvBufferBytes: 1 << 20, maxMessageBytes: MAX }, h.deps);
    sources.push(source);
    const { port } = source.address();
    await sendUdpDatagrams(HOST, port, [Buffer.from('not json')]);
    await sendJsonUdp(HOST, port, event);
    const [message] = await h.waitForMessages(1);
    expect(message).toMatchObject({ source: 'json_udp', format: 'json', body: expectedBody, remoteAddress: HOST });
    expect(await h.count('dropped', { source: 'json_udp', reason: 'bad_json' })).toBe(1);
  });

  it('tcp: the message ends when the sender closes; an oversize one is reset and counted', async () => {
    const source = await startJsonTcpSource({ host: HOST, port: 0, maxFrameBytes: MAX, maxMessageBytes: MAX, idleTimeoutMs: 5000 }, h.deps);
    sources.push(source);
    const { port } = source.address();
    await sendTcpBytes(HOST, port, Buffer.alloc(MAX * 2, 0x20)).catch(() => undefined);
    await sendJsonTcp(HOST, port, event);
    await sendJsonTcp(HOST, port, { ...event, message: 'second' });
    await h.waitForMessages(2);
    expect(h.messages.map((m) => m.body._message).sort()).toEqual(['Admin Login', 'second']);
    expect(h.messages[0]).toMatchObject({ source: 'json_tcp', format: 'json' });
    expect(await h.count('dropped', { source: 'json_tcp', reason: 'too_big' })).toBe(1);
  });

  it('http: answers `ok` to a JSON body sent as form-urlencoded, 400 to bad JSON, 413 over the cap', async () => {
    const source = await startJsonHttpSource({ host: HOST, port: 0, maxMessageBytes: MAX }, h.deps);
    sources.push(source);
    const { port } = source.address();
    await sendJsonHttp(HOST, port, event);
    const [message] = await h.waitForMessages(1);
    expect(message).toMatchObject({ source: 'json_http', format: 'json', body: expectedBody });

    const post = (body: string) => fetch(`http://${HOST}:${port}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const bad = await post('{"_message":');
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'Body is not valid JSON' }]);
    const big = await post(JSON.stringify({ _message: 'x'.repeat(MAX) }));
    expect(big.status).toBe(413);
    await waitFor(async () => (await h.count('dropped', { source: 'json_http', reason: 'too_big' })) === 1, 'the oversize body to be counted');
    expect(await h.count('dropped', { source: 'json_http', reason: 'bad_json' })).toBe(1);
    await sendJsonHttp(HOST, port, { ...event, message: 'still here' });
    await h.waitForMessages(2);
  });

  it('http: answers 503 (not ok) when the message cannot be queued, so the loss is visible to the sender', async () => {
    const failing = createSourceHarness(async () => {
      throw new Error('queue full');
    });
    const source = await startJsonHttpSource({ host: HOST, port: 0, maxMessageBytes: MAX }, failing.deps);
    sources.push(source);
    await expect(sendJsonHttp(HOST, source.address().port, event)).rejects.toThrow('503');
  });
});
