/**
 * The pipeline doctor: one probe message through every enabled source's own socket or endpoint, each timed stage by
 * stage (received → transformed → queued → indexed → searchable) from the pipeline's own hooks (ProbeTracker) and a
 * search, and the first stage that failed named with its likely cause. Runs inside the serving proxy (its pipeline
 * is the one that sees the probes). Probes carry their id in PROBE_FIELD, which activity queries exclude.
 */
import { randomBytes } from 'node:crypto';
import { kernelDropAdvice, type DoctorResult, type ListenerStatus } from '@shared/status-api';
import type { ElasticsearchClient } from '../clients/elasticsearch';
import { explainEsError } from '../clients/elasticsearch-errors';
import { proxyPrivileges } from '../clients/elasticsearch-privileges';
import type { Config } from '../config';
import type { IngestSnapshot } from '../ingest-counters';
import type { SourceName } from '../pipeline-types';
import { PROBE_FIELD } from '../query/fields';
import { diagnose, type PipelineState } from './diagnose';
import { preciseNow, type ProbeMarks, type ProbeTracker } from './probe-tracker';
import { sendDoctorMessage } from './senders';
import { stageTimings } from './stage-timings';

export interface DoctorOptions {
  timeoutMs?: number;
  /** Also the resolution of the `searchable` stage (a search per poll while a probe is indexed but not yet found). */
  pollMs?: number;
}

export interface DoctorDeps {
  config: Pick<Config, 'elasticsearch'>;
  es: Pick<ElasticsearchClient, 'info' | 'search'>;
  ingestSnapshot: () => IngestSnapshot;
  /** The pipeline reports each stage a probe reaches here. */
  probes: ProbeTracker;
  /** The listeners to test (the enabled ones are), as bound. */
  listeners: ListenerStatus[];
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_POLL_MS = 100;
/** Bound addresses the doctor reaches over 127.0.0.1. */
const LOOPBACK_HOSTS = new Set(['0.0.0.0', '127.0.0.1', '::']);

interface Probe {
  listener: ListenerStatus;
  id: string;
  marks: ProbeMarks;
  sentAtMs: number;
  sendError?: string;
}

export async function runDoctor(deps: DoctorDeps, options: DoctorOptions = {}): Promise<DoctorResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const problems: string[] = [];
  const testable = loopbackListeners(deps.listeners, problems);
  const es = await checkElasticsearch(deps, problems);
  const tag = doctorTag();
  const before = deps.ingestSnapshot();
  // Lower-case letters, digits and underscores: one token even where the field was mapped as analysed text.
  const probes: Probe[] = testable.map((listener) => {
    const id = `${tag}_${listener.source}`;
    return { listener, id, marks: deps.probes.watch(id), sentAtMs: 0 };
  });
  const start = Date.now();
  try {
    await sendProbes(probes, tag, start);
    await waitUntilSearchable(deps, probes, {
      start,
      timeoutMs,
      pollMs: options.pollMs ?? DEFAULT_POLL_MS,
      searchable: es.reachable,
    });
  } finally {
    for (const probe of probes) {
      deps.probes.forget(probe.id);
    }
  }
  const after = deps.ingestSnapshot();
  const state = pipelineState(deps, { before, after, waitedMs: Date.now() - start, ...es });
  const sources = probes.map(({ listener, marks, sentAtMs, sendError }) =>
    diagnose(
      listener.source,
      listener,
      { sendError, ...stageTimings(sentAtMs, marks), dropReasons: dropReasons(before, after, listener.source) },
      state
    )
  );
  problems.push(...recentKernelDrops(after));
  return {
    ok: problems.length === 0 && sources.every((s) => s.ok),
    tag,
    finishedAt: new Date().toISOString(),
    sources,
    problems,
  };
}

/** Letters and digits only: one token for the standard analyzer. */
function doctorTag(): string {
  return `doctor${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

/** The enabled listeners the doctor can reach over loopback; the others are reported as problems. */
function loopbackListeners(listeners: ListenerStatus[], problems: string[]): ListenerStatus[] {
  const enabled = listeners.filter((l) => l.enabled);
  if (enabled.length === 0) {
    problems.push('No ingest source is enabled: enable at least GELF UDP (GELF_UDP_ENABLED) or a JSON listener.');
  }
  const testable = enabled.filter((l) => LOOPBACK_HOSTS.has(l.host));
  for (const skipped of enabled.filter((l) => !testable.includes(l))) {
    problems.push(
      `${skipped.source} listens on ${skipped.host} only; the doctor sends over loopback, so it was not tested.`
    );
  }
  return testable;
}

async function checkElasticsearch(
  { config, es }: DoctorDeps,
  problems: string[]
): Promise<{ reachable: boolean; error?: string }> {
  try {
    await es.info();
    return { reachable: true };
  } catch (err) {
    const error = explainEsError(err, config.elasticsearch, proxyPrivileges(config.elasticsearch, false)).message;
    problems.push(`Elasticsearch: ${error}`);
    return { reachable: false, error };
  }
}

async function sendProbes(probes: Probe[], tag: string, start: number): Promise<void> {
  await Promise.all(
    probes.map(async (probe) => {
      const { source, port } = probe.listener;
      probe.sentAtMs = preciseNow();
      try {
        await sendDoctorMessage(source as SourceName, port, {
          probeId: probe.id,
          text: `DreamFactory Insights doctor ${tag} ${source}`,
          timestamp: start / 1000,
        });
      } catch (err) {
        probe.sendError = (err as Error).message;
      }
    })
  );
}

interface Wait {
  start: number;
  timeoutMs: number;
  pollMs: number;
  /** Whether to look in Elasticsearch (not when it is down). */
  searchable: boolean;
}

/** The pipeline marks the other stages as they happen; "searchable" is when a search first finds the probe. */
async function waitUntilSearchable(deps: DoctorDeps, probes: Probe[], wait: Wait): Promise<void> {
  const waiting = () => probes.filter((p) => !p.sendError && p.marks.searchable === undefined);
  while (waiting().length > 0 && Date.now() - wait.start < wait.timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs));
    const indexed = waiting().filter((p) => p.marks.indexed !== undefined);
    if (wait.searchable && indexed.length > 0) {
      const found = await findProbes(
        deps,
        indexed.map((p) => p.id)
      ).catch(() => new Set<string>());
      const at = preciseNow();
      for (const probe of indexed.filter((p) => found.has(p.id))) {
        probe.marks.searchable = at;
      }
    }
  }
}

/** The ids among `ids` a search finds now. */
async function findProbes({ config, es }: DoctorDeps, ids: string[]): Promise<Set<string>> {
  const found = await es.search<Record<string, unknown>>(`${config.elasticsearch.indexPrefix}*`, {
    size: ids.length,
    query: { bool: { should: ids.map((id) => ({ match: { [PROBE_FIELD]: id } })), minimum_should_match: 1 } },
    _source: [PROBE_FIELD],
  });
  return new Set(found.hits.hits.map((hit) => String(hit._source?.[PROBE_FIELD] ?? '')));
}

/** Drop reasons counted for `source` while the doctor ran. Kernel drops are the socket's: recentKernelDrops reports them. */
function dropReasons(before: IngestSnapshot, after: IngestSnapshot, source: string): string[] {
  const was = before.sources[source as SourceName]?.dropped ?? {};
  const now = after.sources[source as SourceName]?.dropped ?? {};
  return Object.entries(now)
    .filter(([reason, count]) => reason !== 'kernel' && (count ?? 0) > (was[reason as keyof typeof was] ?? 0))
    .map(([reason]) => reason);
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
    .map(
      ([source, counts]) => `${source}: ${kernelDropAdvice(counts!.kernelDropsLastMinute, counts!.dropped.kernel ?? 0)}`
    );
}
