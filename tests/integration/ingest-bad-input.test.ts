/**
 * Bad input end to end: garbage mixed into good traffic on every transport is counted and dropped, the good messages
 * are indexed, and a document Elasticsearch refuses (mapping conflict) lands in the dead-letter index with the reason.
 */
import { deflateSync } from 'node:zlib';
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { sendTcpBytes, sendUdpDatagrams } from '../dreamfactory-sim/sender';
import { plainEs, uniquePrefix } from './env';
import { postGelf, startTestProxy, TestProxy, waitForDocs } from './ingest-harness';

const gelf = (n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ version: '1.1', host: 'df-bad-input', short_message: `good ${n}`, timestamp: Date.now() / 1000, level: 6, ...extra });

describe('bad input end to end', () => {
  const prefix = uniquePrefix('badinput');
  const deadLetterIndex = `${prefix}deadletter`;
  let proxy: TestProxy;
  let reader: ElasticsearchClient;

  beforeAll(async () => {
    proxy = await startTestProxy({ ...plainEs(), indexPrefix: prefix, deadLetterIndex });
    reader = new ElasticsearchClient(plainEs());
  });
  afterAll(async () => {
    await proxy.stop();
    await reader.close();
  });

  it('indexes the good messages and counts every bad one by source and reason', async () => {
    const udp = proxy.port('gelf_udp');
    await sendUdpDatagrams('127.0.0.1', udp, [Buffer.from(gelf(1))]);
    await sendUdpDatagrams('127.0.0.1', udp, [Buffer.from('this is not json')]);
    await sendUdpDatagrams('127.0.0.1', udp, [deflateSync(Buffer.from(gelf(2)))]);
    await sendUdpDatagrams('127.0.0.1', udp, [Buffer.from('[1,2,3]')]);
    await sendUdpDatagrams('127.0.0.1', udp, [Buffer.from([0x78, 0x9c, 0x01, 0x02, 0x03])]); // zlib magic, broken stream
    await sendTcpBytes('127.0.0.1', proxy.port('gelf_tcp'), Buffer.from(`${gelf(3)}\0{"broken":\0${gelf(4)}\0`));
    await sendUdpDatagrams('127.0.0.1', proxy.port('json_udp'), [Buffer.from('{"_message":"good 5","_level":200}'), Buffer.from('{nope')]);
    expect(await postGelf(proxy.httpUrl, gelf(6))).toBe(202);
    expect(await postGelf(proxy.httpUrl, 'garbage')).toBe(400);

    const docs = await waitForDocs<{ message: string }>(reader, `${prefix}2*`, 6);
    expect(docs.map((d) => d.source.message).sort()).toEqual(['good 1', 'good 2', 'good 3', 'good 4', 'good 5', 'good 6']);
    expect(await proxy.metric('insights_ingest_dropped_total', { source: 'gelf_udp', reason: 'bad_json' })).toBe(1);
    expect(await proxy.metric('insights_ingest_dropped_total', { source: 'gelf_udp', reason: 'not_object' })).toBe(1);
    expect(await proxy.metric('insights_ingest_dropped_total', { source: 'gelf_udp', reason: 'bad_compression' })).toBe(1);
    expect(await proxy.metric('insights_ingest_dropped_total', { source: 'gelf_tcp', reason: 'bad_json' })).toBe(1);
    expect(await proxy.metric('insights_ingest_dropped_total', { source: 'json_udp', reason: 'bad_json' })).toBe(1);
    expect(await proxy.metric('insights_ingest_dropped_total', { source: 'gelf_http', reason: 'bad_json' })).toBe(1);
    expect(await proxy.metric('insights_sink_indexed_total')).toBe(6);
  });

  it('dead-letters a document Elasticsearch refuses, with the reason and the original, and keeps going', async () => {
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '.');
    // The first value fixes `custom` as an object in today's index; a string there is then a mapping error (400).
    expect(await postGelf(proxy.httpUrl, gelf(10, { _custom: { a: 1 } }))).toBe(202);
    await waitForDocs(reader, `${prefix}${day}`, 1, { query: { match_phrase: { message: 'good 10' } } });
    expect(await postGelf(proxy.httpUrl, gelf(11, { _custom: 'a string' }))).toBe(202);
    expect(await postGelf(proxy.httpUrl, gelf(12))).toBe(202);

    const [dead] = await waitForDocs<Record<string, string | number>>(reader, deadLetterIndex, 1);
    expect(dead.source).toMatchObject({ target_index: `${prefix}${day}`, status: 400, error_type: 'document_parsing_exception' });
    expect(dead.source.error_reason).toContain('[custom]');
    expect(JSON.parse(String(dead.source.original))).toMatchObject({ message: 'good 11', custom: 'a string' });
    await waitForDocs(reader, `${prefix}${day}`, 1, { query: { match_phrase: { message: 'good 12' } } });
    expect(await proxy.metric('insights_sink_dead_lettered_total')).toBe(1);
  });
});
