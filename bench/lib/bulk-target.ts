/**
 * Where the ingest benchmark's shippers write: a real Elasticsearch node, or (smoke mode) a stand-in that answers
 * `_bulk` like Elasticsearch and remembers every document's sequence number, so the benchmark's machinery can be
 * exercised in seconds. Both count what a phase delivered by distinct sequence number.
 */
import { createServer, Server } from 'node:http';
import { Client, estypes } from '@elastic/elasticsearch';

export interface BulkTarget {
  url: string;
  /** Documents visible under `<prefix>*` (after a refresh). */
  count(prefix: string): Promise<number>;
  /** Distinct sequence numbers (`request.parameters.seq`) under `<prefix>*`, exactly. */
  distinctSequences(prefix: string): Promise<number>;
  deleteIndices(prefix: string): Promise<void>;
  close(): Promise<void>;
}

/** A document as the proxy stores it (`event`) or as rsyslog does (DreamFactory's `_event`, unrenamed). */
type SequencedDoc = Partial<Record<'event' | '_event', { request?: { parameters?: { seq?: unknown } } }>>;

function sequenceOf(doc: SequencedDoc | undefined): unknown {
  return (doc?.event ?? doc?._event)?.request?.parameters?.seq;
}

export function elasticsearchTarget(url: string): BulkTarget {
  const client = new Client({ node: url, requestTimeout: 300_000 });
  return {
    url,
    async count(prefix) {
      await client.indices.refresh({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true });
      return (await client.count({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true })).count;
    },
    async distinctSequences(prefix) {
      // Read every document's sequence number (point in time + search_after): exact whatever the field's mapping.
      await client.indices.refresh({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true });
      const { id } = await client.openPointInTime({ index: `${prefix}*`, keep_alive: '1m', ignore_unavailable: true });
      const seqs = new Set<string>();
      let after: estypes.SortResults | undefined;
      try {
        for (;;) {
          const res = await client.search<SequencedDoc>({
            pit: { id, keep_alive: '1m' },
            size: 10_000,
            sort: ['_shard_doc'],
            search_after: after,
            _source: ['event.request.parameters.seq', '_event.request.parameters.seq'],
          });
          for (const hit of res.hits.hits) {
            seqs.add(String(sequenceOf(hit._source)));
          }
          if (res.hits.hits.length === 0) {
            return seqs.size;
          }
          after = res.hits.hits[res.hits.hits.length - 1].sort;
        }
      } finally {
        await client.closePointInTime({ id });
      }
    },
    async deleteIndices(prefix) {
      await client.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true });
    },
    close: () => client.close(),
  };
}

/** A `_bulk` endpoint that keeps only (index, sequence number) pairs; everything else answers as an empty cluster. */
export async function recordingTarget(): Promise<BulkTarget> {
  const seqs = new Map<string, Set<string>>();
  const docs = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('x-elastic-product', 'Elasticsearch');
      res.setHeader('content-type', 'application/json');
      if (!req.url?.includes('_bulk')) {
        res.end(JSON.stringify({ version: { number: '8.19.21' }, cluster_name: 'bench-stand-in' }));
        return;
      }
      const lines = Buffer.concat(chunks).toString().split('\n').filter((l) => l.trim() !== '');
      const items: unknown[] = [];
      for (let i = 0; i + 1 < lines.length; i += 2) {
        const action = JSON.parse(lines[i]) as Record<string, { _index?: string }>;
        const index = Object.values(action)[0]._index ?? /^\/([^/]+)\/_bulk/.exec(req.url ?? '')?.[1] ?? 'unknown';
        const seq = sequenceOf(JSON.parse(lines[i + 1]) as SequencedDoc);
        if (!seqs.has(index)) {
          seqs.set(index, new Set());
        }
        seqs.get(index)!.add(String(seq));
        docs.set(index, (docs.get(index) ?? 0) + 1);
        items.push({ index: { status: 201 } });
      }
      res.end(JSON.stringify({ errors: false, items }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const matching = <T>(map: Map<string, T>, prefix: string) => [...map].filter(([index]) => index.startsWith(prefix)).map(([, v]) => v);
  return {
    url: `http://127.0.0.1:${port}`,
    count: async (prefix) => matching(docs, prefix).reduce((a, b) => a + b, 0),
    distinctSequences: async (prefix) => new Set(matching(seqs, prefix).flatMap((s) => [...s])).size,
    deleteIndices: async (prefix) => {
      for (const index of [...docs.keys()].filter((i) => i.startsWith(prefix))) {
        docs.delete(index);
        seqs.delete(index);
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
