/**
 * Starts the real Elasticsearch nodes the integration suites share: one plain HTTP, one with security on (basic auth
 * for `elastic`, HTTPS with a CA made at start). Connection details reach the test workers through the environment.
 */
import { startElasticsearch, RunningElasticsearch } from '../elasticsearch/es-runner';

declare global {
  var __INSIGHTS_ES__: RunningElasticsearch[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  const [plain, secure] = await Promise.all([startElasticsearch(), startElasticsearch({ secure: true })]);
  globalThis.__INSIGHTS_ES__ = [plain, secure];
  process.env.TEST_ES_URL = plain.url;
  process.env.TEST_ES_VERSION = plain.version;
  process.env.TEST_ES_SECURE_URL = secure.url;
  process.env.TEST_ES_SECURE_PASSWORD = secure.password;
  process.env.TEST_ES_SECURE_CA = secure.caFile;
  process.stdout.write(`\nIntegration tests run against real Elasticsearch ${plain.version} at ${plain.url} and ${secure.url} (security on)\n`);
  process.stdout.write(`Node info: ${plain.banner}\n`);
}
