/** Connection details of the Elasticsearch nodes started by global-setup.ts, for the test workers. */
import type { Config } from '../../proxy/src/config';

export function plainEs(): Config['elasticsearch'] {
  return esConfig({ urls: [required('TEST_ES_URL')] });
}

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
    deadLetterIndex: 'dreamfactory-insights-deadletter',
    requestTimeoutMs: 30000,
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
