/**
 * `proxy setup --scan-secrets [--apply]`: finds documents already indexed with secrets (written before redaction
 * existed, with it off, or under rules that missed something) and, with `--apply`, rewrites them with today's rules.
 * Reads every document of the daily indices and the dead-letter index (a point in time, paged with search_after in
 * `_shard_doc` order), redacts a copy, and compares. The rewrite is an `index` of the same `_id` guarded by
 * `if_seq_no`/`if_primary_term`, so a document that changed since it was read is left alone (counted as a conflict;
 * rerun). Redaction is idempotent, so a second run finds nothing.
 */
import type { ElasticsearchClient, estypes } from '../clients/elasticsearch';
import type { Config } from '../config';
import type { Redactor } from './redactor';

const PAGE_SIZE = 500;
/** Renewed by every page; an abandoned scan's point in time lapses on its own. */
const KEEP_ALIVE = '1m';

export interface IndexScan {
  index: string;
  scanned: number;
  /** Documents holding at least one secret. */
  withSecrets: number;
  /** Field path (dotted, array positions left out) → documents with a secret there. */
  fields: Record<string, number>;
  rewritten: number;
  /** Changed by someone else between read and rewrite. */
  conflicts: number;
  failed: number;
  /** The first few failures, for the report. */
  errors: string[];
}

export interface SecretScan {
  applied: boolean;
  indices: IndexScan[];
}

export interface SecretScanDeps {
  config: Pick<Config, 'elasticsearch'>;
  es: ElasticsearchClient;
  redactor: Redactor;
}

const MAX_ERRORS = 5;

export async function scanSecrets({ config, es, redactor }: SecretScanDeps, { apply }: { apply: boolean }): Promise<SecretScan> {
  const { indexPrefix, deadLetterIndex } = config.elasticsearch;
  const indices = [...(await es.listIndices(`${indexPrefix}*`)), ...(await es.listIndices(deadLetterIndex))].map((i) => i.index).sort();
  const scans: IndexScan[] = [];
  for (const index of indices) {
    scans.push(await scanIndex(es, redactor, index, apply));
  }
  return { applied: apply, indices: scans };
}

async function scanIndex(es: ElasticsearchClient, redactor: Redactor, index: string, apply: boolean): Promise<IndexScan> {
  const scan: IndexScan = { index, scanned: 0, withSecrets: 0, fields: {}, rewritten: 0, conflicts: 0, failed: 0, errors: [] };
  try {
    for await (const hits of pages(es, index)) {
      const rewrites: estypes.BulkRequest['operations'] = [];
      for (const hit of hits) {
        scan.scanned++;
        if (hit._source === undefined) {
          continue;
        }
        const redacted = structuredClone(hit._source);
        redactor.redactInPlace(redacted);
        const fields = changedFields(hit._source, redacted);
        if (fields.length === 0) {
          continue;
        }
        scan.withSecrets++;
        for (const field of fields) {
          // A field name can be a token itself (`?eyJ…` parses to a parameter named after it).
          const name = redactor.redactString(field);
          scan.fields[name] = (scan.fields[name] ?? 0) + 1;
        }
        rewrites.push({ index: { _index: hit._index, _id: hit._id, if_seq_no: hit._seq_no, if_primary_term: hit._primary_term } }, redacted);
      }
      if (apply && rewrites.length > 0) {
        countRewrites(scan, await es.bulk(rewrites));
      }
    }
  } catch (err) {
    scan.failed++;
    scan.errors.push(`reading ${index} failed: ${(err as Error).message}`);
  }
  // Elasticsearch's errors quote values.
  scan.errors = scan.errors.map((error) => redactor.redactString(error));
  return scan;
}

/** Every document of `index`, a page at a time, with the sequence numbers an optimistic rewrite needs. */
async function* pages(es: ElasticsearchClient, index: string): AsyncGenerator<Array<estypes.SearchHit<Record<string, unknown>>>> {
  let pit = await es.openPointInTime(index, KEEP_ALIVE);
  let after: estypes.SortResults | undefined;
  for (;;) {
    const response = await es.searchPointInTime<Record<string, unknown>>({
      pit: { id: pit, keep_alive: KEEP_ALIVE },
      size: PAGE_SIZE,
      sort: [{ _shard_doc: 'asc' }],
      seq_no_primary_term: true,
      track_total_hits: false,
      ...(after ? { search_after: after } : {}),
    });
    const hits = response.hits.hits;
    if (hits.length === 0) {
      return;
    }
    yield hits;
    pit = response.pit_id ?? pit;
    after = hits[hits.length - 1].sort;
  }
}

function countRewrites(scan: IndexScan, response: estypes.BulkResponse): void {
  for (const item of response.items) {
    const result = item.index;
    if (!result?.error) {
      scan.rewritten++;
    } else if (result.status === 409) {
      scan.conflicts++;
    } else {
      scan.failed++;
      if (scan.errors.length < MAX_ERRORS) {
        scan.errors.push(`${result._id}: ${result.error.type}: ${result.error.reason ?? ''}`);
      }
    }
  }
}

/** Dotted paths (array positions left out) whose value differs between a document and its redacted copy. */
export function changedFields(before: unknown, after: unknown): string[] {
  const found = new Set<string>();
  const stack: Array<[unknown, unknown, string]> = [[before, after, '']];
  while (stack.length > 0) {
    const [a, b, path] = stack.pop()!;
    if (a === b) {
      continue;
    }
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
      found.add(path);
      continue;
    }
    const aKeys = Object.keys(a);
    const bKeys = Object.keys(b);
    const isArray = Array.isArray(a);
    for (const key of new Set([...aKeys, ...bKeys])) {
      const child = isArray ? path : path === '' ? key : `${path}.${key}`;
      stack.push([(a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], child]);
    }
  }
  return [...found].sort();
}
