/**
 * Our provisioning files as a Grafana reads them: Grafana's value expansion (not a shell's) over the environment the
 * Docker stack and `npm run stack` give Grafana. Every URL and secret must come out non-empty and pointing at the proxy.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../../proxy/src/config';
import { composeServiceEnvironment, interpolateCompose } from './compose-environment';
import { expandGrafanaValue, loadProvisioning, Provisioning } from './provisioning';

const REPO = resolve(__dirname, '../../..');
const COMPOSE_FILE = join(REPO, 'docker-compose.yaml');
const PROVISIONING_DIR = join(REPO, 'provisioning');
const DATASOURCE_TYPE = 'dreamfactory-insights-datasource';
const APP_TYPE = 'dreamfactory-insights-app';
/** What the README's `PROXY_TOKEN=$(openssl rand -hex 24)` puts in the shell. */
const TOKEN = '5f1c0a9e7b3d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c';

describe("Grafana's provisioning value expansion", () => {
  const env = { NAME: 'value', EMPTY: '', HOSTNAME: '' };

  test.each([
    ['$NAME', 'value'],
    ['${NAME}', 'value'],
    ['$__env{NAME}', 'value'],
    ['http://$NAME:3100/x', 'http://value:3100/x'],
    ['${NAME}suffix', 'valuesuffix'],
    ['$NAMEsuffix', ''],
    ['$UNSET', ''],
    // Not a default: the whole `NAME:-fallback` is looked up as one variable name, which no environment has.
    ['${NAME:-fallback}', ''],
    ['${UNSET:-fallback}', ''],
    ['${EMPTY:-fallback}', ''],
    ['$$NAME', '$NAME'],
    ['price: 5$', 'price: 5$'],
    ['${}x', 'x'],
    ['${NAME', 'NAME'],
    ['${HOSTNAME}', hostname()],
  ])('%s expands to %p', (raw, expanded) => {
    expect(expandGrafanaValue(raw, env)).toBe(expanded);
  });

  test('$__file{path} is the file content, trimmed; a missing file fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dfi-provisioning-'));
    try {
      writeFileSync(join(dir, 'token'), '  from-a-file\n');
      expect(expandGrafanaValue(`$__file{${join(dir, 'token')}}`, {})).toBe('from-a-file');
      expect(() => expandGrafanaValue(`$__file{${join(dir, 'absent')}}`, {})).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('only .yaml/.yml files are read, and a boolean that expands to nothing fails the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dfi-provisioning-'));
    try {
      const datasources = join(dir, 'datasources');
      mkdirSync(datasources);
      const file = (isDefault: string) =>
        `apiVersion: 1\ndatasources:\n  - name: A\n    type: t\n    isDefault: ${isDefault}\n`;
      writeFileSync(join(datasources, 'a.yaml'), file('true'));
      writeFileSync(join(datasources, 'b.yml.disabled'), file('true'));
      expect(loadProvisioning(dir, {}).datasources.map((ds) => ds.name)).toEqual(['A']);
      writeFileSync(join(datasources, 'a.yaml'), file('$UNSET'));
      expect(() => loadProvisioning(dir, {})).toThrow(/not a boolean/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Docker Compose's interpolation (the shell's rules, for docker-compose.yaml itself)", () => {
  test('defaults, required values and the literal $$', () => {
    expect(interpolateCompose('${A:-d}/${B-d}/${C:-d}', { A: 'a', B: '' })).toBe('a//d');
    expect(interpolateCompose('$$HOME ${A:+set}', { A: 'a' })).toBe('$HOME set');
    expect(() => interpolateCompose('${T:?set T}', {})).toThrow(/set T/);
  });
});

function onlyInsightsDatasource(provisioned: Provisioning) {
  const ours = provisioned.datasources.filter((ds) => ds.type === DATASOURCE_TYPE);
  expect(ours).toHaveLength(1);
  return ours[0];
}

function expectNothingEmpty(values: Record<string, unknown>) {
  for (const [key, value] of Object.entries(values)) {
    expect([key, typeof value === 'string' ? value.trim().length > 0 : value !== undefined]).toEqual([key, true]);
  }
}

/** One datasource and one app, every value set, the app pointing at the datasource. */
function expectOneCompleteSet(provisioned: Provisioning) {
  const datasource = onlyInsightsDatasource(provisioned);
  expectNothingEmpty(datasource.jsonData);
  expectNothingEmpty(datasource.secureJsonData);
  const apps = provisioned.apps.filter((app) => app.type === APP_TYPE);
  expect(apps).toHaveLength(1);
  expect(apps[0].enabled).toBe(true);
  expectNothingEmpty(apps[0].jsonData);
  expect(apps[0].jsonData.datasourceUid).toBe(datasource.uid);
  return datasource;
}

describe('provisioning/ as Grafana provisions it', () => {
  test('docker compose up: the datasource reaches the proxy service with the proxy token', () => {
    const shell = { PROXY_TOKEN: TOKEN };
    const grafanaEnv = composeServiceEnvironment(COMPOSE_FILE, 'grafana', shell);
    // What the proxy container itself runs with: the URL and token must be the ones it serves.
    const proxy = loadConfig(composeServiceEnvironment(COMPOSE_FILE, 'proxy', shell));

    const datasource = expectOneCompleteSet(loadProvisioning(PROVISIONING_DIR, grafanaEnv));

    expect(datasource.jsonData.proxyUrl).toBe(`http://proxy:${proxy.server.port}`);
    expect(datasource.secureJsonData.proxyToken).toBe(proxy.apiToken);
    expect(datasource.secureJsonData.proxyToken).toBe(TOKEN);
  });

  test('npm run stack: the datasource reaches the printed proxy URL with the printed token', () => {
    // scripts/stack.ts prints: INSIGHTS_PROXY_URL=<proxy URL> PROXY_TOKEN=<token>, with provisioning/ mounted.
    const stackEnv = { INSIGHTS_PROXY_URL: 'http://127.0.0.1:3100', PROXY_TOKEN: TOKEN };

    const datasource = expectOneCompleteSet(loadProvisioning(PROVISIONING_DIR, stackEnv));

    expect(datasource.jsonData.proxyUrl).toBe('http://127.0.0.1:3100');
    expect(datasource.secureJsonData.proxyToken).toBe(TOKEN);
  });
});
