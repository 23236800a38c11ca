/**
 * The pipeline doctor: one uniquely tagged message through every enabled source, then watch it pass the stages
 * (received → transformed → indexed → searchable) using the proxy's own counters and Elasticsearch, and name the first
 * stage that failed with its likely cause. Runs inside the serving proxy (its metrics are the ones that count).
 */
import { randomBytes } from 'node:crypto';
import type { ProxyContext } from '../context';
import type { SourceName } from '../pipeline-types';
import { kernelDropAdvice, type DoctorResult, type DoctorSourceResult, type ListenerStatus } from '@shared/status-api';
import { explainEsError } from '../clients/elasticsearch-errors';
import { proxyPrivileges } from '../clients/elasticsearch-privileges';
import { countsBy } from '../status/metric-values';
import { diagnose, type Observation } from './diagnose';
import { sendDoctorMessage } from './senders';

export interface DoctorOptions {
  timeoutMs?: number;
  pollMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_POLL_MS = 250;
const LOOPBACK_HOSTS = new Set(['0.0.0.0', '127.0.0.1', '::', 'localhost']);

interface Counters {
  received: Record<string, number>;
  decoded: Record<string, number>;
  dropped: Array<{ source: string; reason: string; value: number }>;
  indexed: number;
  deadLettered: number;
  failed: number;
  queued: number;
}

async function readCounters(ctx: ProxyContext): Promise<Counters> {
  const m = ctx.metrics;
  const [received, decoded, dropped, indexed, deadLettered, failed, queued] = await Promise.all([
    m.received.get(),
    m.decoded.get(),
    m.dropped.get(),
    m.indexed.get(),
    m.deadLettered.get(),
    m.failed.get(),
    m.queued.get(),
  ]);
  const total = (values: Array<{ value: number }>) => values.reduce((sum, v) => sum + v.value, 0);
  return {
    received: countsBy(received, 'source'),
    decoded: countsBy(decoded, 'source'),
    dropped: dropped.values.map((v) => ({ source: String(v.labels.source), reason: String(v.labels.reason), value: v.value })),
    indexed: total(indexed.values),
    deadLettered: total(deadLettered.values),
    failed: total(failed.values),
    queued: total(queued.values),
  };
}

function listenerHost(ctx: ProxyContext, source: SourceName): string {
  const ingest = ctx.config.ingest;
  const byName: Partial<Record<SourceName, { host: string }>> = {
    gelf_udp: ingest.gelfUdp,
    gelf_tcp: ingest.gelfTcp,
    gelf_http: ctx.config.server,
    json_udp: ingest.jsonUdp,
    json_tcp: ingest.jsonTcp,
    json_http: ingest.jsonHttp,
  };
  return byName[source]?.host ?? '0.0.0.0';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runDoctor(ctx: ProxyContext, listeners: ListenerStatus[], options: DoctorOptions = {}): Promise<DoctorResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  // Letters and digits only: one token for the standard analyzer, so a match query finds exactly our messages.
  const tag = `doctor${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  const prefix = ctx.config.elasticsearch.indexPrefix;
  const problems: string[] = [];
  const enabled = listeners.filter((l) => l.enabled);
  if (enabled.length === 0) {
    problems.push('No ingest source is enabled: enable at least GELF UDP (GELF_UDP_ENABLED) or a JSON listener.');
  }
  const testable = enabled.filter((l) => LOOPBACK_HOSTS.has(listenerHost(ctx, l.source as SourceName)));
  for (const skipped of enabled.filter((l) => !testable.includes(l))) {
    problems.push(`${skipped.source} listens on ${listenerHost(ctx, skipped.source as SourceName)} only; the doctor sends over loopback, so it was not tested.`);
  }

  let esReachable = true;
  let esError: string | undefined;
  try {
    await ctx.es.info();
  } catch (err) {
    esReachable = false;
    esError = explainEsError(err, ctx.config.elasticsearch, proxyPrivileges(ctx.config.elasticsearch, false)).message;
    problems.push(`Elasticsearch: ${esError}`);
  }

  const before = await readCounters(ctx);
  const seen = new Map<string, Observation>(testable.map((l) => [l.source, { stages: {}, dropReasons: [] }]));
  const textOf = (source: string) => `DreamFactory Insights doctor ${tag} ${source}`;
  const start = Date.now();
  await Promise.all(
    testable.map(async (listener) => {
      try {
        await sendDoctorMessage(listener.source as SourceName, listener.port, { text: textOf(listener.source), timestamp: start / 1000 });
      } catch (err) {
        seen.get(listener.source)!.sendError = (err as Error).message;
      }
    })
  );

  const findSearchable = async (): Promise<Set<string>> => {
    const found = await ctx.es.search<{ message?: string }>(`${prefix}*`, { size: 50, query: { match: { message: tag } }, _source: ['message'] });
    return new Set(found.hits.hits.map((h) => String(h._source?.message ?? '').split(' ').pop() ?? ''));
  };

  let after = before;
  const pending = () => [...seen.values()].some((o) => !o.sendError && o.stages.searchable === undefined);
  while (pending() && Date.now() - start < timeoutMs) {
    await sleep(pollMs);
    const elapsed = Date.now() - start;
    after = await readCounters(ctx);
    for (const [source, observation] of seen) {
      if ((after.received[source] ?? 0) > (before.received[source] ?? 0)) {
        observation.stages.received ??= elapsed;
      }
      if ((after.decoded[source] ?? 0) > (before.decoded[source] ?? 0)) {
        observation.stages.transformed ??= elapsed;
      }
      observation.dropReasons = after.dropped
        .filter((d) => d.source === source && d.value > (before.dropped.find((b) => b.source === source && b.reason === d.reason)?.value ?? 0))
        .map((d) => d.reason);
    }
    const transformedCount = [...seen.values()].filter((o) => o.stages.transformed !== undefined).length;
    if (transformedCount > 0 && after.indexed - before.indexed >= transformedCount) {
      for (const observation of seen.values()) {
        if (observation.stages.transformed !== undefined) {
          observation.stages.indexed ??= elapsed;
        }
      }
    }
    const searchable = esReachable ? await findSearchable().catch(() => new Set<string>()) : new Set<string>();
    for (const source of searchable) {
      const observation = seen.get(source);
      if (observation) {
        observation.stages.indexed ??= elapsed;
        observation.stages.searchable ??= elapsed;
      }
    }
  }

  // Not searchable in time: a forced refresh tells "indexed, refresh too slow" from "never indexed".
  const waitedMs = Date.now() - start;
  if (esReachable && pending()) {
    await ctx.es.refresh(`${prefix}*`).catch(() => undefined);
    const afterRefresh = await findSearchable().catch(() => new Set<string>());
    for (const source of afterRefresh) {
      const observation = seen.get(source);
      if (observation) {
        observation.stages.indexed ??= waitedMs;
      }
    }
  }

  const state = {
    waitedMs,
    esReachable,
    esError,
    deadLettered: after.deadLettered > before.deadLettered,
    deadLetterIndex: ctx.config.elasticsearch.deadLetterIndex,
    sinkFailures: after.failed - before.failed,
    queueDepth: after.queued,
  };
  const sources: DoctorSourceResult[] = testable.map((l) => diagnose(l.source, l, seen.get(l.source)!, state));
  // UDP loss the doctor's one message may not hit, but real traffic does.
  for (const [source, counts] of Object.entries(ctx.metrics.ingest.snapshot().sources)) {
    if (counts && counts.kernelDropsLastMinute > 0) {
      problems.push(`${source}: ${kernelDropAdvice(counts.kernelDropsLastMinute, counts.dropped.kernel ?? 0)}`);
    }
  }
  return { ok: problems.length === 0 && sources.every((s) => s.ok), tag, finishedAt: new Date().toISOString(), sources, problems };
}
