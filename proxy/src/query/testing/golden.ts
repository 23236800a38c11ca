/**
 * Golden triples under `__golden__/`: `<case>.query.json` (the request and the search the engine must send),
 * `<case>.es-response.json` (what real Elasticsearch answered, recorded by tests/integration/query-golden.test.ts with
 * RECORD_GOLDEN=1) and `<case>.frames.json` (what the engine answered). The real engine (`query/run.ts`) runs over a
 * transport: `ReplayedSearch` answers from the recording, `RecordingSearch` asks a real Elasticsearch and keeps both.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { estypes } from '@elastic/elasticsearch';
import type { QueryRequest } from '@shared/query';
import { DreamFactoryClient } from '../../clients/dreamfactory';
import type { ClusterInfo, ElasticsearchClient } from '../../clients/elasticsearch';
import { loadConfig } from '../../config';
import { makeUsers } from '../../dreamfactory/testing/df-directory-stub';
import { toDirectoryUser, type DirectorySnapshot } from '../../dreamfactory/users';
import { createLogger } from '../../logger';
import { createMetrics } from '../../metrics';
import { createRedactor } from '../../redaction';
import type { SearchBody } from '../builder';
import type { EventSearch } from '../event-search';
import { QueryEngine } from '../run';

export const GOLDEN_DIR = join(__dirname, '..', '__golden__');
/** Logs searches carry a point-in-time id; goldens pin the body with this one. */
export const GOLDEN_PIT = 'golden-pit-id';

export interface GoldenQueryFile {
  request: QueryRequest;
  search: SearchBody;
}

/** The directory the goldens were recorded against: admins 1-2 and users 3-1202, as the integration suites use. */
export function goldenDirectory(): DirectorySnapshot {
  const users = [
    ...makeUsers(1200, 3).map((u) => toDirectoryUser(u, false)),
    ...makeUsers(2, 1, true).map((u) => toDirectoryUser(u, true)),
  ];
  return { users: new Map(users.map((u) => [u.id, u])), fetchedAt: 0 };
}

/** The query engine as the proxy builds it, searching through `search`, with the golden directory. */
export function goldenEngine(search: EventSearch, indexPrefix = 'golden-', limitIndexPrefix = 'limits-golden-'): QueryEngine {
  const config = loadConfig({}, { elasticsearch: { indexPrefix, limitIndexPrefix } });
  const snapshot = goldenDirectory();
  return new QueryEngine({
    search,
    // The golden cases search events only; DreamFactory is not configured, so any call to it would fail the case.
    df: new DreamFactoryClient(config.dreamfactory),
    directory: { read: async () => ({ snapshot }) },
    // The proxy's rules without a fingerprint key: logs cases stay reproducible and touch no key file.
    redactor: createRedactor({
      keys: config.ingest.redactKeys,
      words: config.ingest.redactWords,
      keepKeys: config.ingest.redactKeepKeys,
    }),
    elasticsearch: config.elasticsearch,
    logger: createLogger('silent'),
    metrics: createMetrics(),
  });
}

/** Answers every search with the recorded response and keeps the searches it was asked. */
export class ReplayedSearch implements EventSearch {
  readonly asked: SearchBody[] = [];

  constructor(private readonly response: estypes.SearchResponse) {}

  async info(): Promise<ClusterInfo> {
    throw new Error('no cluster info was recorded');
  }

  async search<TDoc>(_index: string, body: SearchBody): Promise<estypes.SearchResponse<TDoc>> {
    this.asked.push(body);
    return this.response as estypes.SearchResponse<TDoc>;
  }

  async openPointInTime(): Promise<string> {
    return GOLDEN_PIT;
  }

  async searchPointInTime<TDoc>(body: SearchBody): Promise<estypes.SearchResponse<TDoc>> {
    return this.search('', body);
  }
}

/** Searches a real Elasticsearch and keeps each search (point in time pinned to GOLDEN_PIT) with its response. */
export class RecordingSearch implements EventSearch {
  readonly asked: SearchBody[] = [];
  readonly answers: estypes.SearchResponse[] = [];
  /** Points in time opened, for the caller to close. */
  readonly pits: string[] = [];

  constructor(private readonly es: ElasticsearchClient) {}

  info(): Promise<ClusterInfo> {
    return this.es.info();
  }

  async search<TDoc>(index: string, body: SearchBody): Promise<estypes.SearchResponse<TDoc>> {
    return this.keep(body, await this.es.search<TDoc>(index, body));
  }

  async openPointInTime(index: string, keepAlive: string): Promise<string> {
    const id = await this.es.openPointInTime(index, keepAlive);
    this.pits.push(id);
    return id;
  }

  async searchPointInTime<TDoc>(body: SearchBody): Promise<estypes.SearchResponse<TDoc>> {
    const response = await this.es.searchPointInTime<TDoc>(body);
    return this.keep(body.pit ? { ...body, pit: { ...body.pit, id: GOLDEN_PIT } } : body, response);
  }

  private keep<TDoc>(body: SearchBody, response: estypes.SearchResponse<TDoc>): estypes.SearchResponse<TDoc> {
    this.asked.push(body);
    this.answers.push(response as estypes.SearchResponse);
    return response;
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
