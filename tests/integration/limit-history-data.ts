/**
 * A deterministic six hours of limit history for the golden query files: four limits sampled every five minutes by
 * the product's own pure sampler (readings → sample documents), with DreamFactory unreachable for half an hour.
 *
 * - "Fair use per user" (each user, 200 a day): user 3 climbs fast and trips once; 4 and 5 climb slowly; 6 is idle.
 * - "Orders API" (user 3 on db, 100 an hour): refills every hour and trips in most of them.
 * - "Database writes" (db, POST, 50 a minute): random load, at its maximum now and then.
 * - "Partners" (role 3, 500 an hour): never used.
 */
import type { LimitView } from '@shared/limits-api';
import type { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import type { DfLimitCacheEntry } from '../../proxy/src/dreamfactory/limits';
import { documentId, type LimitHistoryDocument } from '../../proxy/src/limit-history/document';
import { buildLimitIndexTemplate, limitTemplateNameFor } from '../../proxy/src/setup/limit-index-template';
import { readCounters } from '../../proxy/src/limit-history/readings';
import { EMPTY_MEMORY, gapDocument, sampleDocuments, type SamplerMemory } from '../../proxy/src/limit-history/sample';
import { limitView } from '../../proxy/src/limit-history/testing/fixtures';
import { dailyIndexName } from '../../proxy/src/sinks/index-name';
import { prng } from '../dreamfactory-sim/prng';
import { goldenDirectory } from '../../proxy/src/query/testing/golden';

const START = Date.parse('2026-11-20T06:00:00Z');
const STEP_MS = 5 * 60_000;
const SAMPLES = 72;
export const LIMIT_DATASET_SPAN_MS = SAMPLES * STEP_MS;

export const LIMIT_DATASET = {
  START,
  RANGE: { from: new Date(START).toISOString(), to: new Date(START + LIMIT_DATASET_SPAN_MS).toISOString() },
};

const LIMITS: LimitView[] = [
  limitView({
    id: 1,
    name: 'Fair use per user',
    type: 'instance.each_user',
    rate: 200,
    period: 'day',
    keyText: 'instance.each_user:.day',
  }),
  limitView({
    id: 2,
    name: 'Orders API',
    type: 'instance.user.service',
    rate: 100,
    period: 'hour',
    userId: 3,
    userName: 'User 3',
    serviceId: 5,
    serviceName: 'db',
    keyText: 'instance.user:3.service:5.hour',
  }),
  limitView({
    id: 3,
    name: 'Database writes',
    type: 'instance.service',
    rate: 50,
    period: 'minute',
    serviceId: 5,
    serviceName: 'db',
    verb: 'POST',
    keyText: 'instance.service:5.verb:POST.minute',
  }),
  limitView({
    id: 4,
    name: 'Partners',
    type: 'instance.role',
    rate: 500,
    period: 'hour',
    roleId: 3,
    roleName: 'Partners',
    keyText: 'instance.role:3.hour',
  }),
];

function cacheAt(sample: number, random: () => number): DfLimitCacheEntry[] {
  const entry = (id: number, key: string, max: number, attempts: number): DfLimitCacheEntry => {
    const used = Math.min(max, attempts);
    return { id, key, max, attempts: used, remaining: max - used };
  };
  const minutesIntoHour = (sample * 5) % 60;
  return [
    entry(1, 'instance.each_user:3.day', 200, 6 * sample),
    entry(1, 'instance.each_user:4.day', 200, 2 * sample),
    entry(1, 'instance.each_user:5.day', 200, Math.floor(sample / 2)),
    entry(1, 'instance.each_user:6.day', 200, 0),
    // The hour's window starts with its first call, a little after the hour.
    entry(2, 'instance.user:3.service:5.hour', 100, 12 * (minutesIntoHour / 5)),
    entry(3, 'instance.service:5.verb:POST.minute', 50, Math.floor(random() * 70)),
    entry(4, 'instance.role:3.hour', 500, 0),
  ];
}

/** The six hours from `start` (the golden files use LIMIT_DATASET.START). */
export function limitHistoryDocuments(start = START): LimitHistoryDocument[] {
  // DreamFactory unreachable from 3:00 to 3:25 into the data (six samples).
  const down = { from: start + 3 * 3_600_000, to: start + 3 * 3_600_000 + 25 * 60_000 };
  const random = prng(17);
  const directory = goldenDirectory();
  let memory: SamplerMemory = EMPTY_MEMORY;
  const documents: LimitHistoryDocument[] = [];
  for (let sample = 0; sample < SAMPLES; sample++) {
    const at = start + sample * STEP_MS;
    const cache = cacheAt(sample, random);
    if (at >= down.from && at <= down.to) {
      documents.push(
        gapDocument(at, `DreamFactory is unreachable at http://df.example: connect ECONNREFUSED`, memory.lastSampleAt)
      );
      continue;
    }
    const result = sampleDocuments(at, readCounters(LIMITS, cache, directory), memory);
    memory = result.memory;
    documents.push(...result.documents);
  }
  return documents;
}

export async function installLimitTemplate(es: ElasticsearchClient, prefix: string): Promise<void> {
  await es.putIndexTemplate(limitTemplateNameFor(prefix), buildLimitIndexTemplate(prefix));
}

export async function indexLimitHistory(
  es: ElasticsearchClient,
  prefix: string,
  documents: LimitHistoryDocument[]
): Promise<void> {
  const operations = documents.flatMap((doc) => [
    { index: { _index: dailyIndexName(prefix, doc['@timestamp'], new Date()), _id: documentId(doc) } },
    doc,
  ]);
  const response = await es.bulk(operations, 'wait_for');
  if (response.errors) {
    throw new Error(`indexing the limit history failed: ${JSON.stringify(response.items.find((i) => i.index?.error))}`);
  }
}
