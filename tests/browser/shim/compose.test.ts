/**
 * The Docker demo's Grafana as docker-compose.yaml defines it, and the README's description of it: the plugin where
 * Grafana looks for it, both unsigned plugin ids allowed, provisioning mounted, and the README naming the same image
 * tag and services.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import appPlugin from '../../../src/plugin.json';
import datasourcePlugin from '../../../src/datasource/plugin.json';
import { composeServiceEnvironment, interpolateCompose } from './compose-environment';

const REPO = resolve(__dirname, '../../..');
const COMPOSE_FILE = join(REPO, 'docker-compose.yaml');
const compose = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; volumes?: string[] }>;
};
const grafana = compose.services.grafana;
const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
const dockerSection = readme.slice(readme.indexOf('## Run with Docker'), readme.indexOf('### Set up Elasticsearch'));
const shell = { PROXY_TOKEN: 'a-token-of-at-least-16-characters' };

test('Grafana loads both unsigned plugins: the app and its nested datasource', () => {
  const allowed = composeServiceEnvironment(COMPOSE_FILE, 'grafana', shell).GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS;
  expect(allowed?.split(',').sort()).toEqual([appPlugin.id, datasourcePlugin.id].sort());
});

test('the built plugin and provisioning/ are mounted where Grafana reads them', () => {
  expect(grafana.volumes).toEqual(
    expect.arrayContaining([
      `./dist:/var/lib/grafana/plugins/${appPlugin.id}`,
      './provisioning:/etc/grafana/provisioning',
    ])
  );
});

test("the README's Docker section names the Grafana image and every service", () => {
  const image = interpolateCompose(grafana.image!, {});
  expect(image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
  expect(dockerSection).toContain(`\`${image}\``);
  for (const service of Object.keys(compose.services)) {
    expect([service, dockerSection.includes(`- \`${service}\``)]).toEqual([service, true]);
  }
  expect(dockerSection).toContain(`${appPlugin.id},${datasourcePlugin.id}`);
});
