/**
 * GET /api/status: Elasticsearch, DreamFactory, ingest and the proxy itself, each gathered independently so one
 * being down shows as such instead of failing the whole answer. Never includes a secret.
 */
import type { ProxyContext } from '../context';
import { DreamFactoryError } from '../clients/dreamfactory';
import { dailyIndexName } from '../sinks/index-name';
import { displayUrls, explainEsError } from '../setup/es-problems';
import { templateNameFor, TEMPLATE_VERSION } from '../setup/index-template';
import { proxyPrivileges } from '../setup/privileges';
import { retentionPolicyNameFor } from '../setup/retention-policy';
import { dailyIndexDay, resolveRetentionMode } from '../setup/retention';
import type { DreamFactoryStatus, ElasticsearchStatus, IngestStatus, ListenerStatus, RetentionRun, SetupResult, StatusResponse } from '@shared/status-api';
import type { RateWindow } from './rate-window';
import { countsBy } from './metric-values';
import { listenerActivity } from './listener-activity';

const MINUTE = 60_000;

export interface StatusSources {
  rates: RateWindow;
  listeners: ListenerStatus[];
  lastSetup?: SetupResult;
  lastRetentionRun?: RetentionRun;
  now?: Date;
}

export async function collectStatus(ctx: ProxyContext, sources: StatusSources): Promise<StatusResponse> {
  const now = sources.now ?? new Date();
  const [elasticsearch, dreamfactory, ingest] = await Promise.all([
    elasticsearchStatus(ctx, now, sources.lastRetentionRun),
    dreamFactoryStatus(ctx),
    ingestStatus(ctx, sources, now),
  ]);
  return {
    generatedAt: now.toISOString(),
    proxy: { version: ctx.version, startedAt: ctx.startedAt.toISOString(), uptimeSeconds: Math.round((now.getTime() - ctx.startedAt.getTime()) / 1000) },
    elasticsearch,
    dreamfactory,
    ingest,
    lastSetup: sources.lastSetup,
  };
}

async function elasticsearchStatus(ctx: ProxyContext, now: Date, lastRun?: RetentionRun): Promise<ElasticsearchStatus> {
  const { config, es } = ctx;
  const prefix = config.elasticsearch.indexPrefix;
  const retention: ElasticsearchStatus['retention'] = { mode: 'unknown', days: config.retention.days, lastRun };
  const base = { url: displayUrls(config.elasticsearch), retention };
  let version: string;
  let distribution: string;
  try {
    ({ version, distribution } = await es.info());
  } catch (err) {
    const problem = explainEsError(err, config.elasticsearch, proxyPrivileges(config.elasticsearch, false));
    return { ...base, reachable: false, error: problem.message, hint: problem.hint };
  }
  try {
    const [health, template, mode, indices] = await Promise.all([
      es.clusterHealth(),
      es.getIndexTemplate(templateNameFor(prefix)),
      resolveRetentionMode(ctx),
      es.listIndices(`${prefix}*`),
    ]);
    retention.mode = mode;
    if (mode === 'ilm') {
      retention.policyName = retentionPolicyNameFor(prefix);
      retention.policyPresent = (await es.getIlmPolicy(retention.policyName)) !== undefined;
    }
    const todayName = dailyIndexName(prefix, now.toISOString(), now);
    const today = indices.find((i) => i.index === todayName);
    const daily = indices.filter((i) => dailyIndexDay(i.index, prefix)).map((i) => i.index).sort();
    return {
      ...base,
      reachable: true,
      version,
      distribution,
      clusterHealth: health.status,
      nodes: { count: health.number_of_nodes, dataNodes: health.number_of_data_nodes, unassignedShards: health.unassigned_shards },
      template: {
        name: templateNameFor(prefix),
        installed: template !== undefined,
        installedVersion: template?.version === undefined ? undefined : Number(template.version),
        expectedVersion: TEMPLATE_VERSION,
      },
      todayIndex: { name: todayName, exists: today !== undefined, docsCount: today?.docsCount ?? 0, storeBytes: today?.storeBytes ?? 0 },
      indices: {
        count: indices.length,
        docsCount: indices.reduce((sum, i) => sum + i.docsCount, 0),
        storeBytes: indices.reduce((sum, i) => sum + i.storeBytes, 0),
        oldest: daily[0],
        newest: daily[daily.length - 1],
      },
    };
  } catch (err) {
    const problem = explainEsError(err, config.elasticsearch, proxyPrivileges(config.elasticsearch, retention.mode === 'ilm'));
    return { ...base, reachable: true, version, distribution, error: problem.message, hint: problem.hint };
  }
}

interface EnvironmentInfo {
  platform?: { version?: string };
}

async function dreamFactoryStatus(ctx: ProxyContext): Promise<DreamFactoryStatus> {
  const { df } = ctx;
  if (!df.configured) {
    return {
      configured: false,
      reachable: false,
      error: 'DreamFactory is not configured (DF_URL and DF_API_KEY, or DF_ADMIN_EMAIL and DF_ADMIN_PASSWORD).',
    };
  }
  const auth = df.auth;
  // The credentials check uses what the proxy needs anyway (the user directory); the version is best effort.
  const [keyCheck, environment] = await Promise.allSettled([
    df.get('system/user', { limit: 1, fields: 'id' }),
    df.get<EnvironmentInfo>('system/environment'),
  ]);
  const version = environment.status === 'fulfilled' ? environment.value?.platform?.version : undefined;
  if (keyCheck.status === 'fulfilled') {
    return { configured: true, reachable: true, auth, keyValid: true, version };
  }
  const err = keyCheck.reason;
  if (err instanceof DreamFactoryError && err.unreachable) {
    return { configured: true, reachable: false, auth, error: err.message };
  }
  const refused = err instanceof DreamFactoryError && (err.credentialsRefused || err.status === 403);
  return {
    configured: true,
    reachable: true,
    auth,
    keyValid: refused ? false : undefined,
    version,
    error: refused
      ? `DreamFactory refused the proxy's credentials (${df.credentialSettings}, HTTP ${err.status}): ${err.message}`
      : (err as Error).message,
  };
}

async function ingestStatus(ctx: ProxyContext, sources: StatusSources, now: Date): Promise<IngestStatus> {
  const { metrics } = ctx;
  const [received, decoded, dropped, lastEvent, queued, queueBytes, indexed, deadLettered] = await Promise.all([
    metrics.received.get(),
    metrics.decoded.get(),
    metrics.dropped.get(),
    metrics.lastEventTime.get(),
    metrics.queued.get(),
    metrics.queueBytes.get(),
    metrics.indexed.get(),
    metrics.deadLettered.get(),
  ]);
  const receivedBy = countsBy(received, 'source');
  const decodedBy = countsBy(decoded, 'source');
  const droppedBy = countsBy(dropped, 'source');
  const lastBy = countsBy(lastEvent, 'source');
  const iso = (seconds?: number) => (seconds ? new Date(seconds * 1000).toISOString() : undefined);
  const lastSeconds = Math.max(0, ...Object.values(lastBy));
  const snapshot = metrics.ingest.snapshot();
  const kernel = (source: string) => {
    const counts = snapshot.sources[source as keyof typeof snapshot.sources];
    return counts?.dropped.kernel === undefined ? {} : { kernelDrops: counts.dropped.kernel, kernelDropsLastMinute: counts.kernelDropsLastMinute };
  };
  const kernelDrops = Object.entries(snapshot.sources)
    .filter(([, counts]) => (counts?.dropped.kernel ?? 0) > 0)
    .map(([source, counts]) => ({ source, reason: 'kernel', count: counts!.dropped.kernel! }));
  return {
    sources: sources.listeners.map((listener) => {
      const lastReceivedAt = snapshot.sources[listener.source as keyof typeof snapshot.sources]?.lastReceivedAt;
      return {
        ...listener,
        rate1m: sources.rates.rate(listener.source, MINUTE),
        rate5m: sources.rates.rate(listener.source, 5 * MINUTE),
        rate15m: sources.rates.rate(listener.source, 15 * MINUTE),
        received: receivedBy[listener.source] ?? 0,
        decoded: decodedBy[listener.source] ?? 0,
        dropped: droppedBy[listener.source] ?? 0,
        ...kernel(listener.source),
        lastEventAt: iso(lastBy[listener.source]),
        lastReceivedAt,
        activity: listenerActivity({ enabled: listener.enabled, lastReceivedAt }, now),
      };
    }),
    drops: dropped.values
      .filter((v) => v.value > 0)
      .map((v) => ({ source: String(v.labels.source ?? ''), reason: String(v.labels.reason ?? ''), count: v.value }))
      .concat(kernelDrops)
      .sort((a, b) => b.count - a.count),
    queue: { events: queued.values[0]?.value ?? 0, bytes: queueBytes.values[0]?.value ?? 0 },
    indexed: indexed.values[0]?.value ?? 0,
    deadLettered: deadLettered.values[0]?.value ?? 0,
    lastEventAt: iso(lastSeconds),
  };
}
