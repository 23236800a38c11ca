/**
 * The ILM branch of setup, which the test Elasticsearch (no ILM) cannot exercise: with a cluster that reports ILM,
 * setup installs the delete policy and attaches it in the template; a dry run sends nothing.
 */
import type { ElasticsearchClient } from '../clients/elasticsearch';
import { loadConfig } from '../config';
import { runSetup } from './run-setup';

function ilmCluster() {
  const puts: Array<{ kind: string; name: string; body: unknown }> = [];
  const es = {
    info: async () => ({ version: '9.1.0', distribution: 'elasticsearch' }),
    authenticate: async () => undefined,
    hasIlm: async () => true,
    getIlmPolicy: async () => undefined,
    putIlmPolicy: async (name: string, body: unknown) => void puts.push({ kind: 'policy', name, body }),
    getIndexTemplate: async () => undefined,
    putIndexTemplate: async (name: string, body: unknown) => void puts.push({ kind: 'template', name, body }),
    getMappings: async () => ({}),
  };
  return { es: es as unknown as ElasticsearchClient, puts };
}

describe('setup with ILM', () => {
  const config = loadConfig({}, { retention: { days: 14 } });

  it('installs the delete policy and attaches it to the daily indices', async () => {
    const { es, puts } = ilmCluster();
    const { result } = await runSetup({ config, es });
    expect(result).toMatchObject({ ok: true, retentionMode: 'ilm' });
    expect(result.steps.find((s) => s.id === 'retention')).toMatchObject({ outcome: 'created', detail: expect.stringContaining('14 days') });
    expect(puts[0]).toEqual({
      kind: 'policy',
      name: 'dreamfactory-insights-retention',
      body: expect.objectContaining({ phases: { delete: { min_age: '14d', actions: { delete: {} } } } }),
    });
    expect(puts[1]).toMatchObject({
      kind: 'template',
      name: 'dreamfactory-insights',
      body: { template: { settings: { 'index.lifecycle.name': 'dreamfactory-insights-retention', 'index.lifecycle.parse_origination_date': true } } },
    });
  });

  it('only plans in a dry run', async () => {
    const { es, puts } = ilmCluster();
    const { result } = await runSetup({ config, es }, { dryRun: true });
    expect(result.steps.filter((s) => ['retention', 'template'].includes(s.id)).map((s) => s.outcome)).toEqual(['would-create', 'would-create']);
    expect(puts).toEqual([]);
  });
});
