/**
 * `--write-provisioning` writes ONE set: the repository's provisioning/ is that set, and writing into a folder that
 * already holds it (ours, or a previous run's) replaces it instead of adding a second app and datasource. Checked
 * with Grafana's own reading rules (tests/browser/shim/provisioning.ts), since Grafana is what reads these files.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { buildProvisioningFiles, PROVISIONING_PATHS, writeProvisioningFiles } from '../../proxy/src/setup/provisioning';
import { loadProvisioning } from '../browser/shim/provisioning';

const SHIPPED = resolve(__dirname, '../../provisioning');
const GRAFANA_ENV = { INSIGHTS_PROXY_URL: 'http://proxy:3100', PROXY_TOKEN: 'token-from-grafanas-environment' };

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
}

describe('Grafana provisioning files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dfi-provisioning-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("the repository's provisioning/ is exactly the set setup writes, with its defaults", () => {
    const files = buildProvisioningFiles(SHIPPED);
    expect(yamlFilesUnder(SHIPPED)).toEqual(files.map((file) => relative(SHIPPED, file.path)).sort());
    for (const file of files) {
      expect([file.path, readFileSync(file.path, 'utf8')]).toEqual([file.path, file.content]);
    }
  });

  test('writing into a folder that holds our set replaces it: one app, one datasource, the new settings', async () => {
    cpSync(SHIPPED, dir, { recursive: true });
    const written = await writeProvisioningFiles(
      buildProvisioningFiles(dir, { proxyUrl: 'http://insights.internal:3100', limitWriteRole: 'Editor' })
    );
    expect(written.map((w) => [relative(dir, w.path), w.outcome])).toEqual([
      [PROVISIONING_PATHS.datasource, 'updated'],
      [PROVISIONING_PATHS.app, 'updated'],
      [PROVISIONING_PATHS.alerting, 'unchanged'],
    ]);

    const provisioned = loadProvisioning(dir, GRAFANA_ENV);
    const insights = provisioned.datasources.filter((ds) => ds.type === 'dreamfactory-insights-datasource');
    expect(insights.map((ds) => [ds.uid, ds.jsonData.proxyUrl, ds.secureJsonData.proxyToken])).toEqual([
      ['dreamfactory-insights', 'http://insights.internal:3100', GRAFANA_ENV.PROXY_TOKEN],
    ]);
    expect(provisioned.apps.map((app) => [app.type, app.jsonData.limitWriteRole])).toEqual([
      ['dreamfactory-insights-app', 'Editor'],
    ]);
  });

  test("a Grafana's own provisioning files stay untouched, and a rerun changes nothing", async () => {
    cpSync(SHIPPED, dir, { recursive: true });
    const theirs = join(dir, 'datasources', 'datasources.yaml');
    const theirContent =
      'apiVersion: 1\ndatasources:\n  - name: Prometheus\n    type: prometheus\n    url: http://prom:9090\n';
    writeFileSync(theirs, theirContent);

    const files = buildProvisioningFiles(dir);
    expect((await writeProvisioningFiles(files)).map((w) => w.outcome)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(readFileSync(theirs, 'utf8')).toBe(theirContent);
    expect(loadProvisioning(dir, GRAFANA_ENV).datasources.map((ds) => ds.name)).toEqual([
      'Prometheus',
      'DreamFactory events (Elasticsearch)',
      'DreamFactory limit history (Elasticsearch)',
      'DreamFactory Insights',
    ]);
  });

  test("a literal proxy URL survives Grafana's expansion ($ doubled) and the token is only ever a reference", () => {
    const [datasource] = buildProvisioningFiles(dir, { proxyUrl: 'http://proxy:3100/$prefix' });
    expect(datasource.content).toContain('proxyToken: ${PROXY_TOKEN}');
    mkdirSync(join(dir, 'datasources'));
    writeFileSync(datasource.path, datasource.content);
    expect(loadProvisioning(dir, { prefix: 'x' }).datasources[0].jsonData.proxyUrl).toBe('http://proxy:3100/$prefix');
  });
});
