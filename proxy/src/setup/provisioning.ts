/**
 * `--write-provisioning DIR`: Grafana provisioning files for the app and its datasource. The proxy token is written
 * as the `$PROXY_TOKEN` reference Grafana expands at start, never as its value.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const DATASOURCE_UID = 'dreamfactory-insights';
const APP_ID = 'dreamfactory-insights-app';
const DATASOURCE_TYPE = 'dreamfactory-insights-datasource';

export interface ProvisioningFile {
  path: string;
  content: string;
}

export function buildProvisioningFiles(dir: string, proxyUrl: string): ProvisioningFile[] {
  const app = [
    '# Written by "proxy setup --write-provisioning". Enables the DreamFactory Insights app.',
    'apiVersion: 1',
    'apps:',
    `  - type: ${APP_ID}`,
    '    org_id: 1',
    '    disabled: false',
    '    jsonData:',
    `      datasourceUid: ${DATASOURCE_UID}`,
    '',
  ].join('\n');
  const datasource = [
    '# Written by "proxy setup --write-provisioning". Grafana reads PROXY_TOKEN from its own environment.',
    'apiVersion: 1',
    'datasources:',
    '  - name: DreamFactory Insights',
    `    type: ${DATASOURCE_TYPE}`,
    `    uid: ${DATASOURCE_UID}`,
    '    access: proxy',
    '    orgId: 1',
    '    editable: false',
    '    jsonData:',
    `      proxyUrl: ${JSON.stringify(proxyUrl)}`,
    '    secureJsonData:',
    // Grafana's provisioning expands $NAME / ${NAME} from its environment.
    '      proxyToken: ${PROXY_TOKEN}',
    '',
  ].join('\n');
  return [
    { path: join(dir, 'plugins', 'dreamfactory-insights.yaml'), content: app },
    { path: join(dir, 'datasources', 'dreamfactory-insights.yaml'), content: datasource },
  ];
}

export async function writeProvisioningFiles(files: ProvisioningFile[]): Promise<void> {
  for (const file of files) {
    await mkdir(join(file.path, '..'), { recursive: true });
    await writeFile(file.path, file.content, 'utf8');
  }
}
