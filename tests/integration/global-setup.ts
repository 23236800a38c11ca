/**
 * Starts the real search engine the integration suites share, chosen by `TEST_ENGINE` (an id of
 * ../elasticsearch/engines.ts; default one Elasticsearch 8 node). With the default engine the full suite runs and a
 * second Elasticsearch node with security on (basic auth for `elastic`, HTTPS with a CA made at start) is started too;
 * other engines run the subset named in jest.integration.config.js. Connection details reach the test workers through
 * the environment.
 */
import { DEFAULT_ENGINE, engineById, productName } from '../elasticsearch/engines';
import { startElasticsearch, startEngine, RunningElasticsearch } from '../elasticsearch/es-runner';

declare global {
  var __INSIGHTS_ES__: RunningElasticsearch[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  const engine = engineById(process.env.TEST_ENGINE || DEFAULT_ENGINE.id);
  const withSecureNode = engine.id === DEFAULT_ENGINE.id;
  const [plain, secure] = await Promise.all([
    startEngine({ distribution: engine.distribution, nodes: engine.nodes }),
    withSecureNode ? startElasticsearch({ secure: true }) : undefined,
  ]);
  globalThis.__INSIGHTS_ES__ = secure ? [plain, secure] : [plain];
  process.env.TEST_ES_URLS = plain.urls.join(',');
  process.env.TEST_ES_VERSION = plain.version;
  process.env.TEST_ES_PRODUCT = plain.product;
  process.env.TEST_ES_NODES = String(plain.urls.length);
  if (secure) {
    process.env.TEST_ES_SECURE_URL = secure.url;
    process.env.TEST_ES_SECURE_PASSWORD = secure.password;
    process.env.TEST_ES_SECURE_CA = secure.caFile;
  }
  const nodes = plain.urls.length > 1 ? `a ${plain.urls.length}-node cluster at ${plain.urls.join(', ')}` : plain.url;
  process.stdout.write(
    `\nIntegration tests (${engine.id}) run against real ${productName(plain.product)} ${plain.version}, ${nodes}` +
      `${secure ? ` and ${secure.url} (security on)` : ''}\n`
  );
  process.stdout.write(`Node info: ${plain.banner}\n`);
}
