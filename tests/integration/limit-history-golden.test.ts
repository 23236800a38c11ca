/**
 * Golden triples of the limit-history query types against real Elasticsearch, like query-golden.test.ts: with
 * RECORD_GOLDEN=1 it (re)records `proxy/src/query/__golden__/limit-*`; otherwise it checks that Elasticsearch, given the
 * same six hours of samples (limit-history-data.ts), still produces the recorded frames. Both run the real query engine.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InsightsQuery, QueryRequest } from '@shared/query';
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { limitTemplateNameFor } from '../../proxy/src/setup/limit-index-template';
import { GOLDEN_DIR, goldenEngine, readGolden, RecordingSearch } from '../../proxy/src/query/testing/golden';
import { plainEs, uniquePrefix } from './env';
import { indexLimitHistory, installLimitTemplate, LIMIT_DATASET, limitHistoryDocuments } from './limit-history-data';

const { RANGE, START } = LIMIT_DATASET;
const RECORD = process.env.RECORD_GOLDEN === '1';
const at = (hours: number) => new Date(START + hours * 3_600_000).toISOString();

const CASES: Record<string, Omit<QueryRequest, 'queries'> & { query: InsightsQuery }> = {
  'limit-usage-by-limit': {
    range: RANGE,
    query: { refId: 'A', queryType: 'limitUsage', splitBy: 'limit', size: 10, interval: '30m' },
  },
  'limit-usage-counters-of-one-user': {
    range: RANGE,
    query: {
      refId: 'A',
      queryType: 'limitUsage',
      splitBy: 'counter',
      size: 5,
      interval: '1h',
      filters: { users: ['3'] },
    },
  },
  'limit-usage-highest-auto-with-gap': {
    range: RANGE,
    intervalMs: 60_000,
    maxDataPoints: 24,
    query: { refId: 'A', queryType: 'limitUsage', splitBy: null, size: 10, interval: 'auto' },
  },
  'limit-trips-table-newest': {
    range: RANGE,
    query: { refId: 'B', queryType: 'limitTrips', format: 'table', groupBy: null, size: 5, interval: 'auto' },
  },
  'limit-trips-counts-by-user-delete-calls': {
    range: RANGE,
    query: {
      refId: 'B',
      queryType: 'limitTrips',
      format: 'counts',
      groupBy: 'user',
      size: 10,
      interval: 'auto',
      filters: { methods: ['delete'] },
    },
  },
  'limit-trips-over-time-by-limit': {
    range: RANGE,
    query: { refId: 'B', queryType: 'limitTrips', format: 'timeseries', groupBy: 'limit', size: 2, interval: '1h' },
  },
  'limit-forecast-counters-near': {
    range: { from: at(0), to: at(2.9) },
    query: {
      refId: 'C',
      queryType: 'limitForecast',
      view: 'counters',
      minUsage: 0.8,
      includeProjected: true,
      size: 100,
    },
  },
  'limit-forecast-limits-all': {
    range: { from: at(0), to: at(2.9) },
    query: { refId: 'C', queryType: 'limitForecast', view: 'limits', minUsage: 0, includeProjected: true, size: 100 },
  },
  'limit-forecast-during-outage': {
    range: { from: at(0), to: at(3.3) },
    query: {
      refId: 'C',
      queryType: 'limitForecast',
      view: 'counters',
      minUsage: 0.8,
      includeProjected: true,
      size: 100,
    },
  },
};

describe('limit history golden triples against real Elasticsearch', () => {
  let es: ElasticsearchClient;
  const prefix = uniquePrefix('limit-golden');

  beforeAll(async () => {
    es = new ElasticsearchClient(plainEs());
    await installLimitTemplate(es, prefix);
    await indexLimitHistory(es, prefix, limitHistoryDocuments());
  });

  afterAll(async () => {
    await es?.raw.indices.delete({ index: `${prefix}*` });
    await es?.raw.indices.deleteIndexTemplate({ name: limitTemplateNameFor(prefix) });
    await es?.close();
  });

  it.each(Object.keys(CASES))('%s', async (name) => {
    const { query, ...rest } = CASES[name];
    const request: QueryRequest = { ...rest, queries: [query] };
    const transport = new RecordingSearch(es);
    const result = (await goldenEngine(transport, 'unused-events-', prefix).run(request)).results[query.refId];
    expect(result.error).toBeUndefined();
    const { frames } = result;
    if (RECORD) {
      const write = (kind: string, value: unknown) =>
        writeFileSync(join(GOLDEN_DIR, `${name}.${kind}.json`), `${JSON.stringify(value, null, 2)}\n`);
      write('query', { request, search: transport.asked[0] });
      write('es-response', transport.answers[0]);
      write('frames', frames);
    } else {
      expect(frames).toEqual(readGolden(name, 'frames'));
    }
  });
});
