/**
 * Logs paging on real Elasticsearch: search_after cursors inside a point in time return every event exactly once,
 * newest first, well past the 10,000-hit window, even when many events share a timestamp.
 */
import type { LogsQuery, QueryRequest } from '@shared/query';
import { DREAMFACTORY_SESSION_TOKEN_HEADER, PROXY_TOKEN_HEADER } from '@shared/headers';
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { dropIndexTemplate, dropIndices } from './engine-admin';
import { plainEs, uniquePrefix } from './env';
import { generateEvents, indexEvents, installTemplate } from './query-data';
import { QueryProxy, startQueryProxy, TOKEN } from './query-harness';

const START = Date.parse('2026-11-21T00:00:00Z');
const SPAN = 86400000;
const RANGE = { from: new Date(START - SPAN).toISOString(), to: new Date(START + SPAN).toISOString() };
const EVENTS = 10500;

describe('logs paging on the real engine', () => {
  let es: ElasticsearchClient;
  let proxy: QueryProxy;
  const prefix = uniquePrefix('query-logs');

  beforeAll(async () => {
    es = new ElasticsearchClient(plainEs());
    await installTemplate(es, prefix);
    // 500 distinct timestamps for 10,500 events: ~21 ties each, which the cursor must not skip or repeat.
    await indexEvents(es, prefix, generateEvents({ count: EVENTS, seed: 7, startMs: START, spanMs: SPAN, userIds: ['3', '1'], distinctTimestamps: 500 }));
    proxy = await startQueryProxy(prefix);
  });

  afterAll(async () => {
    await proxy?.close();
    await dropIndices(plainEs(), `${prefix}*`);
    await dropIndexTemplate(plainEs(), `${prefix}template`);
    await es?.close();
  });

  const logs: LogsQuery = { refId: 'L', queryType: 'logs', limit: 4000 };

  it('pages past 10,000 events with cursors, each event exactly once and newest first', async () => {
    const seen: string[] = [];
    const times: number[] = [];
    let cursor: unknown[] | undefined;
    // Bounded: the 10,500 events need 3 full pages and one to find the end.
    for (let page = 0; page < 6; page++) {
      const request: QueryRequest = { range: RANGE, queries: [logs], ...(cursor ? { cursor } : {}) };
      const result = (await proxy.query(request)).results.L;
      expect(result.error).toBeUndefined();
      const frame = result.frames[0];
      expect(frame.meta).toMatchObject({ preferredVisualisationType: 'logs', type: 'log-lines', custom: { total: EVENTS } });
      seen.push(...(frame.fields.find((f) => f.name === 'id')!.values as string[]));
      times.push(...(frame.fields.find((f) => f.name === 'timestamp')!.values as number[]));
      cursor = frame.meta?.custom?.nextCursor as unknown[] | undefined;
      if (!cursor) {
        break;
      }
    }
    expect(cursor).toBeFalsy();
    expect(seen).toHaveLength(EVENTS);
    expect(new Set(seen).size).toBe(EVENTS);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('shows the line, level and labels (anonymous when no user) and nothing else of the event', async () => {
    const result = (await proxy.query({ range: RANGE, queries: [{ ...logs, limit: 50 }] })).results.L;
    const [frame] = result.frames;
    expect(frame.fields.map((f) => f.name)).toEqual(['timestamp', 'body', 'severity', 'id', 'labels']);
    const labels = frame.fields[4].values as Array<Record<string, string>>;
    const bodies = frame.fields[1].values as string[];
    labels.forEach((line, i) => {
      expect(bodies[i]).toBe(`${line.method} ${line.uri.split('?')[0]} -> ${line.status}`);
      expect(line.user).toBe(line.user_id ? `user ${line.user_id}` : 'anonymous (API key only)');
    });
    // DreamFactory is not configured for this proxy: users are shown by id and a notice says why.
    expect(frame.meta?.notices?.[0].text).toContain('DreamFactory is not configured');
  });

  it('answers an empty page, not an error, before anything was indexed', async () => {
    const fresh = await startQueryProxy(uniquePrefix('query-none'));
    try {
      const result = (await fresh.query({ range: RANGE, queries: [logs] })).results.L;
      expect(result.error).toBeUndefined();
      expect(result.frames[0].fields[0].values).toEqual([]);
      expect(result.frames[0].meta?.custom).toMatchObject({ total: 0, nextCursor: null });
    } finally {
      await fresh.close();
    }
  });

  it('never sends request headers or session secrets an event carries', async () => {
    const secretPrefix = uniquePrefix('query-secret');
    await installTemplate(es, secretPrefix);
    const [event] = generateEvents({ count: 1, seed: 3, startMs: START, spanMs: 1000, userIds: ['3'], anonymousShare: 0 });
    const secret = 'eyJhbGciOiJIUzI1NiJ9.secret-session-token';
    const withSecrets = { ...event, event: { ...event.event, request: { ...event.event.request, headers: { [DREAMFACTORY_SESSION_TOKEN_HEADER]: secret, authorization: `Bearer ${secret}` } } }, platform: { session: { api_key: secret } } };
    await es.bulk([{ create: { _index: `${secretPrefix}2026.11.21` } }, withSecrets], true);
    const leaky = await startQueryProxy(secretPrefix);
    try {
      const response = await leaky.query({ range: RANGE, queries: [logs] });
      expect(response.results.L.frames[0].fields[1].values).toEqual([event.message]);
      expect(JSON.stringify(response)).not.toContain('secret-session-token');
    } finally {
      await leaky.close();
      await dropIndices(plainEs(), `${secretPrefix}*`);
      await dropIndexTemplate(plainEs(), `${secretPrefix}template`);
    }
  });

  it('refuses a tampered cursor with a clear message', async () => {
    const response = await proxy.app.inject({
      method: 'POST',
      url: '/api/query',
      headers: { [PROXY_TOKEN_HEADER]: TOKEN },
      payload: { range: RANGE, queries: [logs], cursor: ['not-a-pit', 'x'] },
    });
    expect(response.json().results.L.error).toMatch(/^Invalid logs cursor/);
  });
});
