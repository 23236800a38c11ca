/**
 * Elasticsearch misbehaving in front of a running ingest path (real Elasticsearch behind fault injectors):
 * slow answers, 429 per item and whole-request 503s, real 400 mapping errors, and a full disk queue while it is
 * unreachable. What a user would see is asserted: HTTP answers to senders, documents in Elasticsearch, metrics.
 */
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { plainEs, uniquePrefix } from './env';
import { startDelayProxy, startFaultProxy, FaultRequest } from './faults-http';
import { postGelf, startTestProxy, TestProxy, waitForDocs } from './ingest-harness';
import { installTemplate } from './query-data';

interface SeqDoc {
  seq: number;
}

const gelf = (seq: number, extra: Record<string, unknown> = {}) => ({
  version: '1.1',
  host: 'df-faults',
  short_message: `event ${seq}`,
  timestamp: Date.now() / 1000,
  level: 6,
  _seq: seq,
  ...extra,
});

/** POSTs seq from..to-1 one after another; returns the HTTP status of each. */
async function sendAll(
  proxy: TestProxy,
  from: number,
  to: number,
  extra: (seq: number) => Record<string, unknown> = () => ({})
): Promise<number[]> {
  const statuses: number[] = [];
  for (let seq = from; seq < to; seq++) {
    statuses.push(await postGelf(proxy.httpUrl, gelf(seq, extra(seq))));
  }
  return statuses;
}

/** Every seq in 0..n-1 exactly once (distinct ids, distinct seqs). */
function expectExactlyOnce(docs: Array<{ id: string; source: SeqDoc }>, n: number): void {
  expect(new Set(docs.map((d) => d.id)).size).toBe(docs.length);
  expect(docs.map((d) => d.source.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
}

const isBulk = (r: FaultRequest) => r.method === 'POST' && r.path.split('?')[0].endsWith('/_bulk');

async function histogram(proxy: TestProxy, name: string): Promise<{ sum: number; count: number }> {
  const values = (await proxy.parts.metrics.registry.getSingleMetric(name)!.get()).values as Array<{
    metricName?: string;
    value: number;
  }>;
  return {
    sum: values.find((v) => v.metricName === `${name}_sum`)?.value ?? 0,
    count: values.find((v) => v.metricName === `${name}_count`)?.value ?? 0,
  };
}

describe('Elasticsearch faults', () => {
  const reader = new ElasticsearchClient(plainEs());
  const prefixes: string[] = [];
  const fresh = (suite: string) => {
    const prefix = uniquePrefix(suite);
    prefixes.push(prefix);
    return prefix;
  };

  afterAll(async () => {
    for (const prefix of prefixes) {
      await reader.raw.indices
        .delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true })
        .catch(() => undefined);
      await reader.raw.indices.deleteIndexTemplate({ name: `${prefix}template` }).catch(() => undefined);
    }
    await reader.close();
  });

  it('keeps accepting while Elasticsearch answers slowly, loses nothing, and bulk latency shows the delay', async () => {
    const delay = await startDelayProxy(plainEs().urls[0], 500);
    const prefix = fresh('slow');
    const proxy = await startTestProxy({ ...plainEs(), urls: [delay.url], indexPrefix: prefix });
    try {
      const statuses = await sendAll(proxy, 0, 300);
      expect(statuses.every((s) => s === 202)).toBe(true);
      expectExactlyOnce(await waitForDocs<SeqDoc>(reader, `${prefix}*`, 300, { timeoutMs: 90_000 }), 300);
      const latency = await histogram(proxy, 'insights_sink_bulk_seconds');
      expect(latency.count).toBeGreaterThan(0);
      expect(latency.sum / latency.count).toBeGreaterThanOrEqual(0.5);
    } finally {
      await proxy.stop();
      await delay.close();
    }
  });

  it('retries 429 items and whole-request 503s until every event is in Elasticsearch exactly once', async () => {
    let bulks = 0;
    // Bulk requests 1–2: 503 without reaching Elasticsearch. 3–5: indexed, but every other item reported as a 429
    // rejection (the retry overwrites by id, so a lying 429 cannot duplicate). Then healthy.
    const faults = await startFaultProxy(plainEs().urls[0], (request) => {
      if (!isBulk(request)) {
        return { kind: 'pass' };
      }
      bulks += 1;
      if (bulks <= 2) {
        return {
          kind: 'respond',
          status: 503,
          body: { error: { type: 'unavailable_shards_exception', reason: 'injected' }, status: 503 },
        };
      }
      if (bulks <= 5) {
        return {
          kind: 'rewrite',
          rewrite: (status, body) => {
            const parsed = JSON.parse(body.toString()) as {
              errors: boolean;
              items: Array<Record<string, { status: number; error?: unknown }>>;
            };
            parsed.errors = true;
            parsed.items.forEach((item, i) => {
              if (i % 2 === 0) {
                const op = Object.values(item)[0];
                op.status = 429;
                op.error = {
                  type: 'es_rejected_execution_exception',
                  reason: 'injected: rejected execution of coordinating operation',
                };
              }
            });
            return { status, body: JSON.stringify(parsed) };
          },
        };
      }
      return { kind: 'pass' };
    });
    const prefix = fresh('reject');
    const proxy = await startTestProxy(
      { ...plainEs(), urls: [faults.url], indexPrefix: prefix },
      { overrides: { sink: { flushIntervalMs: 100, retryInitialMs: 50, retryMaxMs: 200, batchMaxDocs: 50 } } }
    );
    try {
      const statuses = await sendAll(proxy, 0, 400);
      expect(statuses.every((s) => s === 202)).toBe(true);
      expectExactlyOnce(await waitForDocs<SeqDoc>(reader, `${prefix}*`, 400, { timeoutMs: 90_000 }), 400);
      expect(bulks).toBeGreaterThan(5);
      expect(await proxy.metric('insights_sink_failed_total', { kind: 'request' })).toBeGreaterThanOrEqual(2);
      expect(await proxy.metric('insights_sink_failed_total', { kind: 'item' })).toBeGreaterThanOrEqual(3);
      expect(await proxy.metric('insights_sink_indexed_total')).toBe(400);
      expect(await proxy.metric('insights_sink_dead_lettered_total')).toBe(0);
    } finally {
      await proxy.stop();
      await faults.close();
    }
  });

  it('dead-letters documents the mapping really refuses (400), with reason and original, and indexes their neighbours', async () => {
    const prefix = fresh('mapping');
    const deadLetterIndex = `${prefix.replace(/^test-/, 'dl-')}deadletter`;
    prefixes.push(deadLetterIndex);
    await installTemplate(reader, prefix);
    const proxy = await startTestProxy({ ...plainEs(), indexPrefix: prefix, deadLetterIndex });
    try {
      // seq % 10 == 3: an object where the template maps a keyword (event.request.method); == 7: a dynamic field
      // first seen as a number, later a string (type drift) — both real mapper errors from Elasticsearch.
      const bad = (seq: number) => seq >= 10 && (seq % 10 === 3 || seq % 10 === 7);
      await sendAll(proxy, 0, 10, (seq) => ({ _retries: seq }));
      const statuses = await sendAll(proxy, 10, 100, (seq) =>
        seq % 10 === 3
          ? { _event: { request: { method: { verb: 'GET' } } } }
          : seq % 10 === 7
            ? { _retries: `many-${seq}` }
            : { _retries: seq }
      );
      // The proxy accepted everything: the refusal happens later, in Elasticsearch, and is not the sender's to retry.
      expect(statuses.every((s) => s === 202)).toBe(true);
      const badSeqs = Array.from({ length: 100 }, (_, i) => i).filter(bad);
      const good = await waitForDocs<SeqDoc>(reader, `${prefix}*`, 100 - badSeqs.length);
      expect(good.map((d) => d.source.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 100 }, (_, i) => i).filter((s) => !bad(s))
      );

      const letters = await waitForDocs<{
        status: number;
        error_type: string;
        error_reason: string;
        target_index: string;
        original: string;
      }>(reader, deadLetterIndex, badSeqs.length);
      expect(letters).toHaveLength(badSeqs.length);
      for (const letter of letters) {
        const original = JSON.parse(letter.source.original) as { seq: number };
        expect(badSeqs).toContain(original.seq);
        expect(letter.source.status).toBe(400);
        expect(letter.source.error_type).toMatch(/^(document|mapper)_parsing_exception$/);
        expect(letter.source.error_reason).toMatch(original.seq % 10 === 3 ? /event\.request\.method/ : /\[retries\]/);
        expect(letter.source.target_index.startsWith(prefix)).toBe(true);
      }
      expect(await proxy.metric('insights_sink_dead_lettered_total')).toBe(badSeqs.length);
      expect(await proxy.metric('insights_sink_indexed_total')).toBe(100 - badSeqs.length);
    } finally {
      await proxy.stop();
    }
  });

  it('refuses new events with a clear 503 when the disk queue is full, counts them, and indexes the queued ones later', async () => {
    const faults = await startFaultProxy(plainEs().urls[0], () => ({ kind: 'unreachable' }));
    const prefix = fresh('queue-full');
    const proxy = await startTestProxy(
      { ...plainEs(), urls: [faults.url], indexPrefix: prefix, requestTimeoutMs: 2000 },
      { overrides: { queue: { maxBytes: 64 * 1024 } } }
    );
    try {
      const accepted: number[] = [];
      let refused: { status: number; body: string } | undefined;
      let refusedCount = 0;
      const refusedSeqs: number[] = [];
      // Bounded: a 64 KiB queue holds a few hundred of these small events.
      for (let seq = 0; seq < 2000 && refusedCount < 5; seq++) {
        const res = await fetch(`${proxy.httpUrl}/gelf`, { method: 'POST', body: JSON.stringify(gelf(seq)) });
        const body = await res.text();
        if (res.status === 202) {
          accepted.push(seq);
        } else {
          refused ??= { status: res.status, body };
          refusedCount += 1;
          refusedSeqs.push(seq);
        }
      }
      expect(accepted.length).toBeGreaterThan(0);
      expect(refused).toEqual({
        status: 503,
        body: expect.stringContaining('Cannot accept the message now; retry later'),
      });
      expect(await proxy.metric('insights_ingest_dropped_total', { source: 'gelf_http', reason: 'queue_full' })).toBe(
        refusedCount
      );

      faults.rule = () => ({ kind: 'pass' });
      const docs = await waitForDocs<SeqDoc>(reader, `${prefix}*`, accepted.length, { timeoutMs: 90_000 });
      const indexed = docs.map((d) => d.source.seq);
      // Every accepted event is indexed; none of the refused ones (the sender was told to retry them).
      expect(indexed).toEqual(expect.arrayContaining(accepted));
      expect(indexed.filter((seq) => refusedSeqs.includes(seq))).toEqual([]);
      // Room again once Elasticsearch acknowledged the backlog.
      expect(await postGelf(proxy.httpUrl, gelf(5000))).toBe(202);
    } finally {
      await proxy.stop();
      await faults.close();
    }
  });
});
