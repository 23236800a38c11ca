/**
 * Grafana provisioning for the app, its datasource and, for alerting, Grafana's own Elasticsearch datasource over the
 * proxy's indices: ONE set of three files, named after the plugin so they can go into any Grafana's provisioning folder
 * without replacing that Grafana's own files. The repository's provisioning/
 * is exactly this set with the defaults (a test keeps it so); `proxy setup --write-provisioning DIR` writes the same
 * three files into DIR, replacing earlier copies of them. Values Grafana takes from its own environment are written as
 * `${NAME}`, one of the two forms Grafana's provisioning expands (docs/grafana.md); the proxy token is never written.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadConfig } from '../config';
import type { EsConfig } from '../clients/search-engine';
import { READER_USER } from './users';

export const DATASOURCE_UID = 'dreamfactory-insights';
const APP_ID = 'dreamfactory-insights-app';
const DATASOURCE_TYPE = 'dreamfactory-insights-datasource';

/** Where in a provisioning folder each file goes. */
export const PROVISIONING_PATHS = {
  datasource: join('datasources', 'dreamfactory-insights.yaml'),
  app: join('plugins', 'dreamfactory-insights.yaml'),
  alerting: join('datasources', 'dreamfactory-insights-elasticsearch.yaml'),
} as const;

/** The variables of Grafana's environment the files refer to. */
export const GRAFANA_ENV = {
  proxyUrl: 'INSIGHTS_PROXY_URL',
  proxyToken: 'PROXY_TOKEN',
  esUrl: 'INSIGHTS_ES_URL',
  esReaderPassword: 'INSIGHTS_ES_READER_PASSWORD',
} as const;

/** The uids of the Elasticsearch datasources for alerting, which alert rules refer to (docs/limit-alerts.md). */
export const ALERTING_DATASOURCE_UIDS = {
  events: 'dreamfactory-insights-events-es',
  limits: 'dreamfactory-insights-limits-es',
} as const;

type IndexPrefixes = Pick<EsConfig, 'indexPrefix' | 'limitIndexPrefix'>;

export interface ProvisioningOptions {
  /** The proxy's URL as Grafana reaches it; without one, Grafana reads it from INSIGHTS_PROXY_URL. */
  proxyUrl?: string;
  /** Who may change limits from Grafana; must match the proxy's LIMIT_WRITE_ROLE. */
  limitWriteRole?: 'Admin' | 'Editor';
  /** The proxy's index prefixes, which the alerting datasources read; without them, the configuration's defaults. */
  indices?: IndexPrefixes;
}

export interface ProvisioningFile {
  path: string;
  content: string;
}

export type WriteOutcome = 'created' | 'updated' | 'unchanged';

/** A literal value as Grafana's provisioning reads it back: `$$` is its escape for `$`. JSON quoting is valid YAML. */
function literal(value: string): string {
  return JSON.stringify(value.replace(/\$/g, '$$$$'));
}

export function buildProvisioningFiles(dir: string, options: ProvisioningOptions = {}): ProvisioningFile[] {
  const proxyUrl = options.proxyUrl === undefined ? `\${${GRAFANA_ENV.proxyUrl}}` : literal(options.proxyUrl);
  const datasource = [
    '# DreamFactory Insights: the datasource the app pages and the bundled dashboard use.',
    '# Written by `proxy setup --write-provisioning`. Grafana reads ${NAME} values from its own environment.',
    'apiVersion: 1',
    'datasources:',
    '  - name: DreamFactory Insights',
    `    type: ${DATASOURCE_TYPE}`,
    '    # Fixed: the app pages, the dashboard and the e2e tests refer to it.',
    `    uid: ${DATASOURCE_UID}`,
    '    access: proxy',
    '    orgId: 1',
    '    # Editable, so a rotated proxy token can be fixed in the UI (provisioning restores this file at restart).',
    '    editable: true',
    '    jsonData:',
    `      proxyUrl: ${proxyUrl}`,
    '    secureJsonData:',
    "      # The proxy's PROXY_TOKEN; Grafana adds it to every call server-side.",
    `      proxyToken: \${${GRAFANA_ENV.proxyToken}}`,
    '',
  ].join('\n');
  const app = [
    '# DreamFactory Insights: enables the app, which imports its "DreamFactory user activity" dashboard.',
    '# Written by `proxy setup --write-provisioning`.',
    'apiVersion: 1',
    'apps:',
    `  - type: ${APP_ID}`,
    '    org_id: 1',
    '    disabled: false',
    '    jsonData:',
    `      datasourceUid: ${DATASOURCE_UID}`,
    "      # Who may change DreamFactory limits from Grafana: Admin, or Editor (the proxy's LIMIT_WRITE_ROLE must agree).",
    `      limitWriteRole: ${options.limitWriteRole ?? 'Admin'}`,
    '',
  ].join('\n');
  return [
    { path: join(dir, PROVISIONING_PATHS.datasource), content: datasource },
    { path: join(dir, PROVISIONING_PATHS.app), content: app },
    {
      path: join(dir, PROVISIONING_PATHS.alerting),
      content: alertingDatasources(options.indices ?? loadConfig({}).elasticsearch),
    },
  ];
}

/**
 * Grafana alerting evaluates rules on the Grafana server, which our datasource (it runs in the browser) cannot serve;
 * Grafana's built-in Elasticsearch datasource can. Both log in as the read-only user of `setup --create-users`.
 */
function alertingDatasources(indices: IndexPrefixes): string {
  const elasticsearch = (name: string, uid: string, indexPrefix: string, extra: string[]) => [
    `  - name: ${name}`,
    '    type: elasticsearch',
    `    uid: ${uid}`,
    '    access: proxy',
    '    orgId: 1',
    '    editable: false',
    `    url: \${${GRAFANA_ENV.esUrl}}`,
    '    basicAuth: true',
    `    basicAuthUser: ${READER_USER}`,
    '    secureJsonData:',
    `      basicAuthPassword: \${${GRAFANA_ENV.esReaderPassword}}`,
    '    jsonData:',
    `      index: ${literal(`${indexPrefix}*`)}`,
    "      timeField: '@timestamp'",
    ...extra,
    '      maxConcurrentShardRequests: 5',
  ];
  return [
    "# DreamFactory Insights: Grafana's Elasticsearch datasource over the proxy's indices, for alert rules",
    '# (docs/limit-alerts.md). Written by `proxy setup --write-provisioning`. Grafana reads ${NAME} values from its own',
    '# environment: INSIGHTS_ES_URL (Elasticsearch as Grafana reaches it) and INSIGHTS_ES_READER_PASSWORD (printed once',
    `# by \`proxy setup --create-users\` for ${READER_USER}).`,
    'apiVersion: 1',
    'datasources:',
    ...elasticsearch('DreamFactory events (Elasticsearch)', ALERTING_DATASOURCE_UIDS.events, indices.indexPrefix, [
      '      logMessageField: message',
      '      logLevelField: level_name',
    ]),
    ...elasticsearch(
      'DreamFactory limit history (Elasticsearch)',
      ALERTING_DATASOURCE_UIDS.limits,
      indices.limitIndexPrefix,
      []
    ),
    '',
  ].join('\n');
}

async function currentContent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw err;
  }
}

/** Writes each file unless it already has this content; says what happened to each. */
export async function writeProvisioningFiles(
  files: ProvisioningFile[]
): Promise<Array<{ path: string; outcome: WriteOutcome }>> {
  const outcomes: Array<{ path: string; outcome: WriteOutcome }> = [];
  for (const file of files) {
    const before = await currentContent(file.path);
    if (before === file.content) {
      outcomes.push({ path: file.path, outcome: 'unchanged' });
      continue;
    }
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.content, 'utf8');
    outcomes.push({ path: file.path, outcome: before === undefined ? 'created' : 'updated' });
  }
  return outcomes;
}
