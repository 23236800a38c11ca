/**
 * Golden triples under `__golden__/`: `<case>.query.json` (the request and the search body the builder must produce),
 * `<case>.es-response.json` (what real Elasticsearch answered, recorded by tests/integration/query-golden.test.ts with
 * RECORD_GOLDEN=1) and `<case>.frames.json` (the enriched frames). The same pure pipeline records and checks them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { estypes } from '@elastic/elasticsearch';
import type { FrameJSON, InsightsQuery, QueryRequest } from '@shared/query';
import { buildActivitySearch, buildLogsSearch, buildTimeseriesSearch, parseRange, RequestContext, SearchBody } from '../builder';
import { toDirectoryUser, type DirectorySnapshot } from '../../dreamfactory/users';
import { enrichFrames } from '../enrich';
import { shapeActivity, shapeLogs, shapeTimeseries } from '../shaper';
import { makeUsers } from '../../dreamfactory/testing/df-directory-stub';

export const GOLDEN_DIR = join(__dirname, '..', '__golden__');
/** Logs searches carry a point-in-time id; goldens pin the body with this one. */
export const GOLDEN_PIT = 'golden-pit-id';

export interface GoldenQueryFile {
  request: QueryRequest;
  search: SearchBody;
}

/** The directory the goldens were recorded against: admins 1-2 and users 3-1202, as the integration suites use. */
export function goldenDirectory(): DirectorySnapshot {
  const users = [...makeUsers(1200, 3).map((u) => toDirectoryUser(u, false)), ...makeUsers(2, 1, true).map((u) => toDirectoryUser(u, true))];
  return { users: new Map(users.map((u) => [u.id, u])), fetchedAt: 0 };
}

function requestContext(request: QueryRequest): RequestContext {
  return { range: parseRange(request.range), intervalMs: request.intervalMs, maxDataPoints: request.maxDataPoints };
}

export function buildCase(request: QueryRequest, pitId = GOLDEN_PIT): SearchBody {
  const query = request.queries[0];
  const ctx = requestContext(request);
  switch (query.queryType) {
    case 'activity':
      return buildActivitySearch(ctx, query);
    case 'timeseries':
      return buildTimeseriesSearch(ctx, query).body;
    case 'logs':
      return buildLogsSearch(ctx, query, pitId);
    default:
      throw new Error(`no golden pipeline for ${query.queryType}`);
  }
}

export function shapeCase(request: QueryRequest, response: estypes.SearchResponse, directory: DirectorySnapshot): FrameJSON[] {
  const query: InsightsQuery = request.queries[0];
  switch (query.queryType) {
    case 'activity':
      return enrichFrames([shapeActivity(query, response)], directory, query.userLabel);
    case 'timeseries':
      return enrichFrames([shapeTimeseries(query, response, buildTimeseriesSearch(requestContext(request), query).intervalMs)], directory, query.userLabel);
    case 'logs':
      return enrichFrames([shapeLogs(query, response as estypes.SearchResponse<Record<string, unknown>>).frame], directory);
    default:
      throw new Error(`no golden pipeline for ${query.queryType}`);
  }
}

export function goldenCases(): string[] {
  return readdirSync(GOLDEN_DIR)
    .filter((f) => f.endsWith('.query.json'))
    .map((f) => f.slice(0, -'.query.json'.length))
    .sort();
}

export function readGolden<T>(name: string, kind: 'query' | 'es-response' | 'frames'): T {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, `${name}.${kind}.json`), 'utf8')) as T;
}
