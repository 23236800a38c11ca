/**
 * The Grafana Elasticsearch datasources provisioned for alerting, as Grafana reads them (its own value expansion,
 * tests/browser/shim/provisioning.ts): they must read what the proxy writes, as the read-only user setup creates,
 * with the URL and password Grafana's environment gives them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../../proxy/src/config';
import { readerPrivileges } from '../../../proxy/src/clients/elasticsearch-privileges';
import {
  ALERTING_DATASOURCE_UIDS,
  buildProvisioningFiles,
  writeProvisioningFiles,
} from '../../../proxy/src/setup/provisioning';
import { READER_USER } from '../../../proxy/src/setup/users';
import { composeServiceEnvironment } from '../../browser/shim/compose-environment';
import { loadProvisioning } from '../../browser/shim/provisioning';

const REPO = resolve(__dirname, '../../..');
const SHELL = {
  PROXY_TOKEN: '5f1c0a9e7b3d2c4e6f8a0b1c2d3e4f5a',
  INSIGHTS_ES_READER_PASSWORD: 'printed-by-create-users',
};

const alerting = (dir: string, env: Record<string, string | undefined>) =>
  loadProvisioning(dir, env).datasources.filter((ds) => ds.type === 'elasticsearch');

describe('provisioned Elasticsearch datasources for alerting', () => {
  it('docker compose up: both reach the compose Elasticsearch as the read-only user, over the event and limit indices', () => {
    const env = composeServiceEnvironment(join(REPO, 'docker-compose.yaml'), 'grafana', SHELL);
    const { indexPrefix, limitIndexPrefix } = loadConfig(
      composeServiceEnvironment(join(REPO, 'docker-compose.yaml'), 'proxy', SHELL)
    ).elasticsearch;

    const datasources = alerting(join(REPO, 'provisioning'), env);

    expect(datasources.map((ds) => [ds.uid, ds.jsonData.index, ds.jsonData.timeField])).toEqual([
      [ALERTING_DATASOURCE_UIDS.events, `${indexPrefix}*`, '@timestamp'],
      [ALERTING_DATASOURCE_UIDS.limits, `${limitIndexPrefix}*`, '@timestamp'],
    ]);
    for (const ds of datasources) {
      expect([ds.url, ds.basicAuth, ds.basicAuthUser, ds.secureJsonData.basicAuthPassword]).toEqual([
        'http://elasticsearch:9200',
        true,
        READER_USER,
        SHELL.INSIGHTS_ES_READER_PASSWORD,
      ]);
    }
  });

  it("read exactly the indices setup's read-only role may read, with the prefixes the proxy is configured with", async () => {
    const config = loadConfig({ ES_INDEX_PREFIX: 'staging-df-', LIMIT_INDEX_PREFIX: 'staging-limits-' }).elasticsearch;
    const dir = mkdtempSync(join(tmpdir(), 'dfi-alerting-'));
    try {
      await writeProvisioningFiles(buildProvisioningFiles(dir, { indices: config }));
      const indices = alerting(dir, {}).map((ds) => ds.jsonData.index);
      expect(indices).toEqual(['staging-df-*', 'staging-limits-*']);
      expect(readerPrivileges(config).indices.flatMap((i) => i.names)).toEqual(indices);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
