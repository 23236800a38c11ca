/**
 * The pipeline doctor: one uniquely tagged message through every enabled source, then watch it pass the stages
 * (received → transformed → indexed → searchable) using the proxy's own ingest counters and Elasticsearch, and name
 * the first stage that failed with its likely cause. Runs inside the serving proxy (its counters see the messages).
 */
import { randomBytes } from 'node:crypto';
import { kernelDropAdvice, type DoctorResult, type ListenerStatus } from '@shared/status-api';
import type { ElasticsearchClient } from '../clients/elasticsearch';
import { explainEsError } from '../clients/elasticsearch-errors';
import { proxyPrivileges } from '../clients/elasticsearch-privileges';
import type { Config } from '../config';
import type { IngestSnapshot } from '../ingest-counters';
import type { SourceName } from '../pipeline-types';
import { diagnose, type Observation, type PipelineState } from './diagnose';
import { sendDoctorMessage } from './senders';

export interface DoctorOptions {
  timeoutMs?: number;
  pollMs?: number;
}

export interface DoctorDeps {
  config: Pick<Config, 'elasticsearch' | 'ingest' | 'server'>;
  es: Pick<ElasticsearchClient, 'info' | 'search' | 'refresh'>;
  ingestSnapshot: () => IngestSnapshot;
  /** The listeners to test (the enabled ones are). */
  listeners: ListenerStatus[];
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_POLL_MS = 250;
const LOOPBACK_HOSTS = new Set(['0.0.0.0', '127.0.0.1', '::', 'localhost']);

/** Per source under test, what has been seen so far. */
type Observations = Map<string, Observation>;

export async function runDoctor(deps: DoctorDeps, options: DoctorOptions = {}): Promise<DoctorResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const problems: string[] = [];
  const testable = loopbackListeners(deps, problems);
  const es = await checkElasticsearch(deps, problems);
  const tag = doctorTag();
  const before = deps.ingestSnapshot();
  const seen: Observations = new Map(testable.map((l) => [l.source, { stages: {}, dropReasons: [] }]));
  const start = Date.now();
  await sendTestMessages(testable, tag, start, seen);
  const after = await watchStages(deps, seen, { tag, before, start, timeoutMs, pollMs: options.pollMs ?? DEFAULT_POLL_MS, searchable: es.reachable });
  const waitedMs = Date.now() - start;
  if (es.reachable && pending(seen)) {
    await tellSlowRefreshFromNotIndexed(deps, seen, tag, waitedMs);
  }
  const state = pipelineState(deps, { before, after, waitedMs, ...es });
  const sources = testable.map((l) => diagnose(l.source, l, seen.get(l.source)!, state));
  problems.push(...recentKernelDrops(after));
  return { ok: problems.length === 0 && sources.every((s) => s.ok), tag, finishedAt: new Date().toISOString(), sources, problems };
}

/** Letters and digits only: one token for the standard analyzer, so a match query finds exactly our messages. */
function doctorTag(): string {
  return `doctor${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

function listenerHost(config: DoctorDeps['config'], source: SourceName): string {
  const { ingest } = config;
  const byName: Partial<Record<SourceName, { host: string }>> = {
    gelf_udp: ingest.gelfUdp,
    gelf_tcp: ingest.gelfTcp,
    gelf_http: config.server,
    json_udp: ingest.jsonUdp,
    json_tcp: ingest.jsonTcp,
    json_http: ingest.jsonHttp,
  };
  return byName[source]?.host ?? '0.0.0.0';
}

/** The enabled listeners the doctor can reach over loopback; the others are reported as problems. */
function loopbackListeners({ config, listeners }: DoctorDeps, problems: string[]): ListenerStatus[] {
  const enabled = listeners.filter((l) => l.enabled);
  if (enabled.length === 0) {
    problems.push('No ingest source is enabled: enable at least GELF UDP (GELF_UDP_ENABLED) or a JSON listener.');
  }
  const testable = enabled.filter((l) => LOOPBACK_HOSTS.has(listenerHost(config, l.source as SourceName)));
  for (const skipped of enabled.filter((l) => !testable.includes(l))) {
    problems.push(`${skipped.source} listens on ${listenerHost(config, skipped.source as SourceName)} only; the doctor sends over loopback, so it was not tested.`);
  }
  return testable;
}

async function checkElasticsearch({ config, es }: DoctorDeps, problems: string[]): Promise<{ reachable: boolean; error?: string }> {
  try {
    await es.info();
    return { reachable: true };
  } catch (err) {
    const error = explainEsError(err, config.elasticsearch, proxyPrivileges(config.elasticsearch, false)).message;
    problems.push(`Elasticsearch: ${error}`);
    return { reachable: false, error };
  }
}

const messageText = (tag: string, source: string) => `DreamFactory Insights doctor ${tag} ${source}`;

async function sendTestMessages(listeners: ListenerStatus[], tag: string, start: number, seen: Observations): Promise<void> {
  await Promise.all(
    listeners.map(async (listener) => {
      try {
        await sendDoctorMessage(listener.source as SourceName, listener.port, { text: messageText(tag, listener.source), timestamp: start / 1000 });
      } catch (err) {
        seen.get(listener.source)!.sendError = (err as Error).message;
      }
    })
  );
}

/** The sources whose test message Elasticsearch returns for the tag (the source is the message's last word). */
async function searchableSources({ config, es }: DoctorDeps, tag: string): Promise<Set<string>> {
  const found = await es.search<{ message?: string }>(`${config.elasticsearch.indexPrefix}*`, { size: 50, query: { match: { message: tag } }, _source: ['message'] });
  return new Set(found.hits.hits.map((h) => String(h._source?.message ?? '').split(' ').pop() ?? ''));
}

const pending = (seen: Observations) => [...seen.values()].some((o) => !o.sendError && o.stages.searchable === undefined);
const grew = (after: number | undefined, before: number | undefined) => (after ?? 0) > (before ?? 0);

interface Watch {
  tag: string;
  before: IngestSnapshot;
  start: number;
  timeoutMs: number;
  pollMs: number;
  /** Whether to look in Elasticsearch (not when it is down). */
  searchable: boolean;
}

/** Polls the counters and Elasticsearch until every message is searchable or the time is up; returns the last counters. */
async function watchStages(deps: DoctorDeps, seen: Observations, watch: Watch): Promise<IngestSnapshot> {
  const { before, start } = watch;
  let after = before;
  while (pending(seen) && Date.now() - start < watch.timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, watch.pollMs));
    const elapsed = Date.now() - start;
    after = deps.ingestSnapshot();
    for (const [source, observation] of seen) {
      const was = before.sources[source as SourceName];
      const now = after.sources[source as SourceName];
      if (grew(now?.received, was?.received)) {
        observation.stages.received ??= elapsed;
      }
      if (grew(now?.decoded, was?.decoded)) {
        observation.stages.transformed ??= elapsed;
      }
      // Kernel drops are the socket's, not this message's: recentKernelDrops reports them.
      observation.dropReasons = Object.entries(now?.dropped ?? {})
        .filter(([reason, count]) => reason !== 'kernel' && grew(count, was?.dropped[reason as keyof typeof was.dropped]))
        .map(([reason]) => reason);
    }
    const transformed = [...seen.values()].filter((o) => o.stages.transformed !== undefined);
    if (transformed.length > 0 && after.indexed - before.indexed >= transformed.length) {
      for (const observation of transformed) {
        observation.stages.indexed ??= elapsed;
      }
    }
    const searchable = watch.searchable ? await searchableSources(deps, watch.tag).catch(() => new Set<string>()) : new Set<string>();
    for (const source of searchable) {
      const observation = seen.get(source);
      if (observation) {
        observation.stages.indexed ??= elapsed;
        observation.stages.searchable ??= elapsed;
      }
    }
  }
  return after;
}

/** Not searchable in time: a forced refresh tells "indexed, refresh too slow" from "never indexed". */
async function tellSlowRefreshFromNotIndexed(deps: DoctorDeps, seen: Observations, tag: string, waitedMs: number): Promise<void> {
  await deps.es.refresh(`${deps.config.elasticsearch.indexPrefix}*`).catch(() => undefined);
  for (const source of await searchableSources(deps, tag).catch(() => new Set<string>())) {
    const observation = seen.get(source);
    if (observation) {
      observation.stages.indexed ??= waitedMs;
    }
  }
}

function pipelineState(
  { config }: DoctorDeps,
  run: { before: IngestSnapshot; after: IngestSnapshot; waitedMs: number; reachable: boolean; error?: string }
): PipelineState {
  const failures = (snapshot: IngestSnapshot) => Object.values(snapshot.failed).reduce((sum, n) => sum + (n ?? 0), 0);
  return {
    waitedMs: run.waitedMs,
    esReachable: run.reachable,
    esError: run.error,
    deadLettered: run.after.deadLettered > run.before.deadLettered,
    deadLetterIndex: config.elasticsearch.deadLetterIndex,
    sinkFailures: failures(run.after) - failures(run.before),
    queueDepth: run.after.queue.events,
  };
}

/** UDP loss the doctor's one message may not hit, but real traffic does. */
function recentKernelDrops(snapshot: IngestSnapshot): string[] {
  return Object.entries(snapshot.sources)
    .filter(([, counts]) => counts !== undefined && counts.kernelDropsLastMinute > 0)
    .map(([source, counts]) => `${source}: ${kernelDropAdvice(counts!.kernelDropsLastMinute, counts!.dropped.kernel ?? 0)}`);
}
