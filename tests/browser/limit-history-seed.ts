/**
 * Limit history for the browser specs, made the way production makes it: limits created through DreamFactory's API
 * (the simulator), calls counted by its enforcement, and the proxy's own sampler reading `system/limit_cache` into real
 * Elasticsearch. Two samples two seconds apart leave one limit tripped and one projected to trip in its window.
 */
import { DreamFactoryClient } from '../../proxy/src/clients/dreamfactory';
import type { ProxyParts } from '../../proxy/src/compose';
import { buildLimitIndexTemplate, limitTemplateNameFor } from '../../proxy/src/setup/limit-index-template';
import { LimitSampler } from '../../proxy/src/limit-sampler';
import { UserDirectory } from '../../proxy/src/dreamfactory/directory';
import type { Simulator } from '../dreamfactory-sim/server';
import type { SimCall } from '../dreamfactory-sim/store';

/** 10 calls an hour for one user: driven to its maximum, a trip. */
export const TRIPPED_LIMIT = 'Browser: ten an hour';
/** 10,000 calls a day on `files`: at half, rising 1 call in 2 s, so projected to trip in about three hours. */
export const PROJECTED_LIMIT = 'Browser: files per day';

async function createLimit(sim: Simulator, limit: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sim.url}/api/v2/system/limit`, {
    method: 'POST',
    headers: { 'x-dreamfactory-api-key': sim.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ resource: [limit] }),
  });
  if (!response.ok) {
    throw new Error(`creating limit "${limit.name}" failed: HTTP ${response.status} ${await response.text()}`);
  }
}

async function calls(sim: Simulator, call: SimCall, count: number): Promise<void> {
  const response = await fetch(`${sim.url}/_sim/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ calls: Array.from({ length: count }, () => call) }),
  });
  if (!response.ok) {
    throw new Error(`simulated calls failed: HTTP ${response.status}`);
  }
}

export async function seedLimitHistory(parts: ProxyParts, sim: Simulator): Promise<void> {
  const prefix = parts.config.elasticsearch.limitIndexPrefix;
  await parts.es.putIndexTemplate(limitTemplateNameFor(prefix), buildLimitIndexTemplate(prefix));
  // The last active user: the other specs call as the first ones, and this user's calls get 429 for an hour.
  const user = sim.store
    .nonAdmins()
    .filter((u) => u.is_active)
    .pop()!;
  const files = sim.store.services.find((s) => s.name === 'files')!.id as number;
  await createLimit(sim, { name: TRIPPED_LIMIT, type: 'instance.user', user_id: user.id, rate: 10, period: 'hour' });
  await createLimit(sim, {
    name: PROJECTED_LIMIT,
    type: 'instance.service',
    service_id: files,
    rate: 10000,
    period: 'day',
  });

  const df = new DreamFactoryClient(parts.config.dreamfactory);
  const sampler = new LimitSampler(
    { intervalSeconds: 30, indexPrefix: prefix },
    {
      dreamfactory: df,
      directory: new UserDirectory(df, 60_000),
      es: parts.es,
      esUrls: parts.config.elasticsearch.urls,
      metrics: parts.metrics,
      logger: parts.logger,
    }
  );
  const asUser: SimCall = { service: 'db', userId: user.id, verb: 'GET', auth: 'jwt' };
  const onFiles: SimCall = { service: 'files', verb: 'GET', auth: 'apiKey' };
  await calls(sim, asUser, 5);
  await calls(sim, onFiles, 5000);
  await sampler.sampleOnce();
  await new Promise((r) => setTimeout(r, 2000));
  await calls(sim, asUser, 5);
  await calls(sim, onFiles, 1);
  if ((await sampler.sampleOnce()) !== 'sampled' || sampler.status().pendingDocuments > 0) {
    throw new Error(`seeding the limit history failed: ${sampler.status().lastError}`);
  }
  await parts.es.refresh(`${prefix}*`);
}
