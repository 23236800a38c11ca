/**
 * Keeps the golden triples honest against real Elasticsearch. With RECORD_GOLDEN=1 it (re)records
 * `proxy/src/query/__golden__/*`; otherwise it checks that today's Elasticsearch, given the same data, still produces
 * the recorded frames. Both run the real query engine; the unit test `proxy/src/query/golden.test.ts` runs it over
 * the recorded responses.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dimension, type InsightsQuery, type QueryRequest } from '@shared/query';
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { GOLDEN_DIR, goldenEngine, readGolden, RecordingSearch } from '../../proxy/src/query/testing/golden';
import { dropIndexTemplate, dropIndices } from './engine-admin';
import { plainEs, uniquePrefix } from './env';
import { ACTIVITY_DATASET, activityEvents, indexEvents, installTemplate } from './query-data';

const { RANGE, START } = ACTIVITY_DATASET;
const RECORD = process.env.RECORD_GOLDEN === '1';

const CASES: Record<string, Omit<QueryRequest, 'queries'> & { query: InsightsQuery }> = {
  'activity-calls-by-user': {
    range: RANGE,
    query: { refId: 'A', queryType: 'activity', groupBy: [dimension('user', 100)], showOther: true, shareOfTotal: true },
  },
  'activity-user-cut-seed-labels': {
    range: RANGE,
    query: { refId: 'A', queryType: 'activity', groupBy: [dimension('user', 4)], showOther: true, shareOfTotal: false, userLabel: 'seed' },
  },
  'activity-service-endpoint-nested-cut': {
    range: RANGE,
    query: { refId: 'A', queryType: 'activity', groupBy: [dimension('service', 3, 'key_asc'), dimension('endpoint', 2)], showOther: true, shareOfTotal: false },
  },
  'activity-status-level-filtered': {
    range: RANGE,
    query: {
      refId: 'A',
      queryType: 'activity',
      groupBy: [dimension('statusClass', 10, 'key_asc'), dimension('statusCode', 10, 'key_asc'), dimension('level', 10)],
      showOther: false,
      shareOfTotal: false,
      filters: { users: ['anonymous', '3'], methods: ['get'] },
    },
  },
  'activity-empty-range': {
    range: { from: '2020-01-01T00:00:00.000Z', to: '2020-01-02T00:00:00.000Z' },
    query: { refId: 'A', queryType: 'activity', groupBy: [dimension('user', 100)], showOther: true, shareOfTotal: true },
  },
  'timeseries-split-user-null': {
    range: { from: new Date(START - 2 * 3600000).toISOString(), to: new Date(START + 6 * 3600000).toISOString() },
    query: { refId: 'B', queryType: 'timeseries', splitBy: dimension('user', 3), interval: '1h', emptyBuckets: 'null' },
  },
  'timeseries-total-auto-zero': {
    range: RANGE,
    intervalMs: 60000,
    maxDataPoints: 24,
    query: { refId: 'B', queryType: 'timeseries', interval: 'auto', emptyBuckets: 'zero', splitBy: null as unknown as undefined },
  },
  'logs-first-page': {
    range: RANGE,
    query: { refId: 'C', queryType: 'logs', limit: 5, filters: { statusClasses: ['5xx'] } },
  },
};

describe('golden query triples against real Elasticsearch', () => {
  let es: ElasticsearchClient;
  const prefix = uniquePrefix('query-golden');

  beforeAll(async () => {
    es = new ElasticsearchClient(plainEs());
    await installTemplate(es, prefix);
    await indexEvents(es, prefix, activityEvents());
  });

  afterAll(async () => {
    await dropIndices(plainEs(), `${prefix}*`);
    await dropIndexTemplate(plainEs(), `${prefix}template`);
    await es?.close();
  });

  it.each(Object.keys(CASES))('%s', async (name) => {
    const { query, ...rest } = CASES[name];
    const request: QueryRequest = { ...rest, queries: [query] };
    const transport = new RecordingSearch(es);
    // Points in time the logs case opens lapse after their keep-alive, as the proxy's own do.
    const result = (await goldenEngine(transport, prefix).run(request)).results[query.refId];
    expect(result.error).toBeUndefined();
    const { frames } = result;
    if (RECORD) {
      const write = (kind: string, value: unknown) => writeFileSync(join(GOLDEN_DIR, `${name}.${kind}.json`), `${JSON.stringify(value, null, 2)}\n`);
      write('query', { request, search: transport.asked[0] });
      write('es-response', transport.answers[0]);
      write('frames', frames);
    } else if (query.queryType !== 'logs') {
      // Log lines carry generated document ids, so only aggregations can be compared with a fresh index.
      expect(frames).toEqual(readGolden(name, 'frames'));
    }
  });
});
