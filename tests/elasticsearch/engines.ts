/**
 * The search engines the test command runs the proxy against: which distributions, and in which shapes (one node, a
 * three-node cluster). The integration suite picks one by id with `TEST_ENGINE` (default: the first, on which it runs
 * in full); `npm run test:engines` runs ENGINE_SUBSET on each of the others.
 */

export type EngineProduct = 'elasticsearch' | 'opensearch';

/** An `integ-test-zip` distribution on Maven Central. */
export interface Distribution {
  product: EngineProduct;
  version: string;
  /** The oldest Java it starts on (17 is the machine's default; 21+ is looked for next to it, see java.ts). */
  minJava: number;
}

export const ELASTICSEARCH_8: Distribution = { product: 'elasticsearch', version: '8.19.21', minJava: 17 };
export const ELASTICSEARCH_9: Distribution = { product: 'elasticsearch', version: '9.5.4', minJava: 21 };
export const OPENSEARCH_2: Distribution = { product: 'opensearch', version: '2.19.6', minJava: 17 };
export const OPENSEARCH_3: Distribution = { product: 'opensearch', version: '3.8.0', minJava: 21 };

/** What `npm run stack`, the benchmarks and the integration suite start unless told otherwise. */
export const DEFAULT_DISTRIBUTION = ELASTICSEARCH_8;

export interface EngineSetup {
  /** e.g. `opensearch-2.19.6`, `elasticsearch-8.19.21-3-nodes` */
  id: string;
  distribution: Distribution;
  nodes: number;
}

function setup(distribution: Distribution, nodes = 1): EngineSetup {
  return {
    id: `${distribution.product}-${distribution.version}${nodes > 1 ? `-${nodes}-nodes` : ''}`,
    distribution,
    nodes,
  };
}

export const ENGINES: EngineSetup[] = [
  setup(ELASTICSEARCH_8),
  setup(ELASTICSEARCH_9),
  setup(OPENSEARCH_2),
  setup(OPENSEARCH_3),
  setup(ELASTICSEARCH_8, 3),
];

export const DEFAULT_ENGINE = ENGINES[0];

export function engineById(id: string): EngineSetup {
  const found = ENGINES.find((engine) => engine.id === id);
  if (!found) {
    throw new Error(`unknown engine "${id}"; known: ${ENGINES.map((engine) => engine.id).join(', ')}`);
  }
  return found;
}

/** Every distribution some engine needs, once each. */
export function distributionsInUse(): Distribution[] {
  return [
    ...new Map(
      ENGINES.map((engine) => [`${engine.distribution.product}-${engine.distribution.version}`, engine.distribution])
    ).values(),
  ];
}

export function productName(product: EngineProduct): string {
  return product === 'opensearch' ? 'OpenSearch' : 'Elasticsearch';
}

/**
 * The integration suites every other engine runs, the same files as the full run: setup (template, rerun, repair,
 * mapping conflicts, retention), ingest of every wire format and real clients, each query type against its golden
 * frames, logs paging past 10,000 hits, the doctor and status. What they leave out (security, DreamFactory relays,
 * fault injection in front of one node, the stack) does not depend on the engine, or needs Elasticsearch's security.
 */
export const ENGINE_SUBSET = [
  'tests/integration/setup-elasticsearch.test.ts',
  'tests/integration/setup-retention.test.ts',
  'tests/integration/ingest-dreamfactory-formats.test.ts',
  'tests/integration/ingest-clients.test.ts',
  'tests/integration/query-golden.test.ts',
  'tests/integration/query-logs.test.ts',
  'tests/integration/doctor-pipeline.test.ts',
];
