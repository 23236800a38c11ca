/**
 * GET /api/status: Elasticsearch, DreamFactory, ingest, Splunk HEC when on, and the proxy itself, each gathered independently so one
 * being down shows as such instead of failing the whole answer. Never includes a secret.
 */
import type {
  ElasticsearchStatus,
  IngestStatus,
  LimitHistoryStatus,
  ListenerStatus,
  RetentionRun,
  SetupResult,
  SplunkStatus,
  StatusResponse,
} from '@shared/status-api';
import type { ElasticsearchClient } from '../clients/elasticsearch';
import { displayUrls, explainEsError } from '../clients/elasticsearch-errors';
import { proxyPrivileges } from '../clients/elasticsearch-privileges';
import type { DreamFactoryClient } from '../clients/dreamfactory';
import type { Config } from '../config';
import { checkDreamFactory } from '../dreamfactory/health';
import type { IngestSnapshot, SourceSnapshot } from '../ingest-counters';
import type { SourceName } from '../pipeline-types';
import type { ProxyInfo } from '../proxy-info';
import { templateNameFor, TEMPLATE_VERSION } from '../setup/index-template';
import { retentionPolicyNameFor } from '../setup/retention-policy';
import { dailyIndexDay, resolveRetentionMode } from '../setup/retention';
import { dailyIndexName } from '../sinks/index-name';
import type { RateWindow } from './rate-window';
import { listenerActivity } from './listener-activity';

const MINUTE = 60_000;

export interface StatusDeps {
  config: Pick<Config, 'elasticsearch' | 'retention'>;
  es: ElasticsearchClient;
  df: DreamFactoryClient;
  proxy: ProxyInfo;
}

/** What the running proxy knows besides its upstreams: its counters, rates, listeners and last runs. */
export interface StatusInputs {
  ingest: IngestSnapshot;
  rates: RateWindow;
  listeners: ListenerStatus[];
  lastSetup?: SetupResult;
  lastRetentionRun?: RetentionRun;
  /** The Splunk HEC sink's state; undefined when Splunk is off. */
  splunk?: SplunkStatus;
  /** The limit sampler's state, where it runs. */
  limitHistory?: LimitHistoryStatus;
  now?: Date;
}

export async function collectStatus(deps: StatusDeps, inputs: StatusInputs): Promise<StatusResponse> {
  const now = inputs.now ?? new Date();
  const [elasticsearch, { users, ...dreamfactory }] = await Promise.all([
    elasticsearchStatus(deps, now, inputs.lastRetentionRun),
    checkDreamFactory(deps.df),
  ]);
  const { proxy } = deps;
  return {
    generatedAt: now.toISOString(),
    proxy: {
      version: proxy.version,
      startedAt: proxy.startedAt.toISOString(),
      uptimeSeconds: Math.round((now.getTime() - proxy.startedAt.getTime()) / 1000),
    },
    elasticsearch,
    dreamfactory,
    ingest: ingestStatus(inputs, now),
    splunk: inputs.splunk,
    lastSetup: inputs.lastSetup,
    limitHistory: inputs.limitHistory,
  };
}

async function elasticsearchStatus(
  { config, es }: StatusDeps,
  now: Date,
  lastRun?: RetentionRun
): Promise<ElasticsearchStatus> {
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
      resolveRetentionMode(config.retention.mode, es),
      es.listIndices(`${prefix}*`),
    ]);
    retention.mode = mode;
    if (mode === 'ilm') {
      retention.policyName = retentionPolicyNameFor(prefix);
      retention.policyPresent = (await es.getIlmPolicy(retention.policyName)) !== undefined;
    }
    const todayName = dailyIndexName(prefix, now.toISOString(), now);
    const today = indices.find((i) => i.index === todayName);
    const daily = indices
      .filter((i) => dailyIndexDay(i.index, prefix))
      .map((i) => i.index)
      .sort();
    return {
      ...base,
      reachable: true,
      version,
      distribution,
      clusterHealth: health.status,
      nodes: {
        count: health.number_of_nodes,
        dataNodes: health.number_of_data_nodes,
        unassignedShards: health.unassigned_shards,
      },
      template: {
        name: templateNameFor(prefix),
        installed: template !== undefined,
        installedVersion: template?.version === undefined ? undefined : Number(template.version),
        expectedVersion: TEMPLATE_VERSION,
      },
      todayIndex: {
        name: todayName,
        exists: today !== undefined,
        docsCount: today?.docsCount ?? 0,
        storeBytes: today?.storeBytes ?? 0,
      },
      indices: {
        count: indices.length,
        docsCount: indices.reduce((sum, i) => sum + i.docsCount, 0),
        storeBytes: indices.reduce((sum, i) => sum + i.storeBytes, 0),
        oldest: daily[0],
        newest: daily[daily.length - 1],
      },
    };
  } catch (err) {
    const problem = explainEsError(
      err,
      config.elasticsearch,
      proxyPrivileges(config.elasticsearch, retention.mode === 'ilm')
    );
    return { ...base, reachable: true, version, distribution, error: problem.message, hint: problem.hint };
  }
}

function ingestStatus({ ingest, rates, listeners }: StatusInputs, now: Date): IngestStatus {
  // Kernel drops have their own fields (and advice); a source's `dropped` is what the proxy itself dropped.
  const proxyDrops = (counts: SourceSnapshot | undefined) =>
    Object.entries(counts?.dropped ?? {}).reduce((sum, [reason, n]) => (reason === 'kernel' ? sum : sum + (n ?? 0)), 0);
  const lastEventAt = Object.values(ingest.sources)
    .map((counts) => counts?.lastEventAt)
    .filter((at): at is string => at !== undefined)
    .sort()
    .pop();
  return {
    sources: listeners.map((listener) => {
      const counts = ingest.sources[listener.source as SourceName];
      return {
        ...listener,
        rate1m: rates.rate(listener.source, MINUTE),
        rate5m: rates.rate(listener.source, 5 * MINUTE),
        rate15m: rates.rate(listener.source, 15 * MINUTE),
        received: counts?.received ?? 0,
        decoded: counts?.decoded ?? 0,
        dropped: proxyDrops(counts),
        ...(counts?.dropped.kernel === undefined
          ? {}
          : { kernelDrops: counts.dropped.kernel, kernelDropsLastMinute: counts.kernelDropsLastMinute }),
        lastEventAt: counts?.lastEventAt,
        lastReceivedAt: counts?.lastReceivedAt,
        activity: listenerActivity({ enabled: listener.enabled, lastReceivedAt: counts?.lastReceivedAt }, now),
      };
    }),
    drops: Object.entries(ingest.sources)
      .flatMap(([source, counts]) =>
        Object.entries(counts?.dropped ?? {}).map(([reason, count]) => ({ source, reason, count: count ?? 0 }))
      )
      .filter((drop) => drop.count > 0)
      .sort((a, b) => b.count - a.count),
    queue: { events: ingest.queue.events, bytes: ingest.queue.bytes },
    indexed: ingest.indexed,
    deadLettered: ingest.deadLettered,
    lastEventAt,
  };
}
