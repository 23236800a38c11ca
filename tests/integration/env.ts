/** Connection details of the search engine started by global-setup.ts, for the test workers. */
import type { Config } from '../../proxy/src/config';
import type { EngineProduct } from '../elasticsearch/engines';

/** The engine every suite shares: one node, or every node of a cluster. Plain HTTP, no credentials. */
export function plainEs(): Config['elasticsearch'] {
  return esConfig({ urls: required('TEST_ES_URLS').split(',') });
}

/** Which product runs the shared engine, for the few expectations that differ by product (e.g. `flat_object`). */
export function engineProduct(): EngineProduct {
  return required('TEST_ES_PRODUCT') as EngineProduct;
}

/** Only the default engine's run (Elasticsearch 8, the full suite) starts a node with security on. */
export const secureEsRuns = Boolean(process.env.TEST_ES_SECURE_URL);

export function secureEs(): Config['elasticsearch'] {
  return esConfig({
    urls: [required('TEST_ES_SECURE_URL')],
    username: 'elastic',
    password: required('TEST_ES_SECURE_PASSWORD'),
    caFile: required('TEST_ES_SECURE_CA'),
  });
}

/** A fresh, lower-case index prefix per suite so suites can share one node. */
export function uniquePrefix(suite: string): string {
  return `test-${suite}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}-`.toLowerCase();
}

function esConfig(partial: Partial<Config['elasticsearch']>): Config['elasticsearch'] {
  return {
    urls: [],
    tlsVerify: true,
    indexPrefix: 'logstash-dreamfactory-',
    limitIndexPrefix: 'dreamfactory-limits-',
    deadLetterIndex: 'dreamfactory-insights-deadletter',
    requestTimeoutMs: 30000,
    replicas: 0,
    ...partial,
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run integration tests with jest -c jest.integration.config.js`);
  }
  return value;
}
