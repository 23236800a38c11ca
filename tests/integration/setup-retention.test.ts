/**
 * Proxy-mode retention against real Elasticsearch (which, in the test distribution, has no ILM): back-dated daily
 * indices are deleted, today's and recent ones, look-alike names and other prefixes are kept.
 */
import { loadConfig } from '../../proxy/src/config';
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { createLogger } from '../../proxy/src/logger';
import { RetentionScheduler } from '../../proxy/src/setup/retention';
import { createIndex, dropIndices } from './engine-admin';
import { plainEs, uniquePrefix } from './env';

describe('retention enforced by the proxy', () => {
  const prefix = uniquePrefix('retention');
  const other = uniquePrefix('retention-other');
  const es = new ElasticsearchClient(plainEs());
  const now = new Date('2026-11-23T08:00:00Z');

  const scheduler = (mode: 'auto' | 'ilm' | 'proxy' | 'off', days = 30) => {
    const config = loadConfig({}, { elasticsearch: { ...plainEs(), indexPrefix: prefix }, retention: { mode, days } });
    return new RetentionScheduler({ config, es, logger: createLogger('silent') }, () => now);
  };
  const existing = async () => (await es.listIndices(`${prefix}*,${other}*`)).map((i) => i.index).sort();

  const expired = [`${prefix}2026.10.24`, `${prefix}2025.12.31`];
  const kept = [
    `${prefix}2026.10.25`, // exactly 29 days before today: kept with 30-day retention
    `${prefix}2026.11.23`,
    `${prefix}2026.10.01-reindexed`, // not the exact daily pattern
    `${prefix}archive`,
    `${prefix}2026.02.31`, // no such day
    `${other}2020.01.01`, // another prefix
  ];

  beforeAll(async () => {
    for (const index of [...expired, ...kept]) {
      await createIndex(plainEs(), index, { settings: { number_of_replicas: 0 } });
    }
  });

  afterAll(async () => {
    await dropIndices(plainEs(), `${prefix}*,${other}*`);
    await es.close();
  });

  it('does nothing when the mode leaves retention to ILM or turns it off', async () => {
    expect(await scheduler('ilm').runOnce()).toBeUndefined();
    expect(await scheduler('off').runOnce()).toBeUndefined();
    expect(await existing()).toEqual([...expired, ...kept].sort());
  });

  it('in auto mode detects the missing ILM and deletes only expired daily indices of its prefix', async () => {
    expect(await es.hasIlm()).toBe(false);
    const run = await scheduler('auto').runOnce();
    expect(run).toEqual({ at: now.toISOString(), deleted: [...expired].sort() });
    expect(await existing()).toEqual([...kept].sort());
  });

  it('a second pass finds nothing more to delete', async () => {
    expect((await scheduler('proxy').runOnce())?.deleted).toEqual([]);
    expect(await existing()).toEqual([...kept].sort());
  });
});
