/**
 * The pipeline doctor: one probe message through every enabled source's own socket or endpoint, each timed stage by
 * stage (received → transformed → queued → indexed → searchable) from the pipeline's own hooks (ProbeTracker) and a
 * search, and the first stage that failed named with its likely cause. Runs inside the serving proxy (its pipeline
 * is the one that sees the probes). Probes carry their id in PROBE_FIELD, which activity queries exclude.
 */
import { randomBytes } from 'node:crypto';
import type { ProxyContext } from '../context';
import type { SourceName } from '../pipeline-types';
import { kernelDropAdvice, type DoctorResult, type DoctorSourceResult, type ListenerStatus } from '@shared/status-api';
import { PROBE_FIELD } from '../query/fields';
import { explainEsError } from '../setup/es-problems';
import { proxyPrivileges } from '../setup/privileges';
import { diagnose } from './diagnose';
import { preciseNow } from './probe-tracker';
import { sendDoctorMessage } from './senders';
import { stageTimings } from './stage-timings';

export interface DoctorOptions {
  timeoutMs?: number;
  pollMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;
/** Also the resolution of the `searchable` stage (a search per poll while a probe is indexed but not yet found). */
const DEFAULT_POLL_MS = 100;
/** Bound addresses the doctor reaches over 127.0.0.1. */
const LOOPBACK_HOSTS = new Set(['0.0.0.0', '127.0.0.1', '::']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runDoctor(ctx: ProxyContext, listeners: ListenerStatus[], options: DoctorOptions = {}): Promise<DoctorResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const tag = `doctor${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  const problems: string[] = [];
  const enabled = listeners.filter((l) => l.enabled);
  if (enabled.length === 0) {
    problems.push('No ingest source is enabled: enable at least GELF UDP (GELF_UDP_ENABLED) or a JSON listener.');
  }
  const testable = enabled.filter((l) => LOOPBACK_HOSTS.has(l.host));
  for (const skipped of enabled.filter((l) => !testable.includes(l))) {
    problems.push(`${skipped.source} listens on ${skipped.host} only; the doctor sends over loopback, so it was not tested.`);
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

  const before = ctx.metrics.ingest.snapshot();
  const probes = testable.map((listener) => {
    // Lower-case letters, digits and underscores: one token even where the field was mapped as analysed text.
    const id = `${tag}_${listener.source}`;
    return { listener, id, marks: ctx.probes.watch(id), sentAtMs: 0, sendError: undefined as string | undefined };
  });
  const start = Date.now();
  try {
    await Promise.all(
      probes.map(async (probe) => {
        const { source, port } = probe.listener;
        probe.sentAtMs = preciseNow();
        try {
          await sendDoctorMessage(source as SourceName, port, { probeId: probe.id, text: `DreamFactory Insights doctor ${tag} ${source}`, timestamp: start / 1000 });
        } catch (err) {
          probe.sendError = (err as Error).message;
        }
      })
    );

    // The pipeline marks the other stages as they happen; "searchable" is when a search first finds the probe.
    const waiting = () => probes.filter((p) => !p.sendError && p.marks.searchable === undefined);
    while (waiting().length > 0 && Date.now() - start < timeoutMs) {
      await sleep(pollMs);
      const indexed = waiting().filter((p) => p.marks.indexed !== undefined);
      if (esReachable && indexed.length > 0) {
        const found = await findProbes(ctx, indexed.map((p) => p.id)).catch(() => new Set<string>());
        const at = preciseNow();
        for (const probe of indexed.filter((p) => found.has(p.id))) {
          probe.marks.searchable = at;
        }
      }
    }
  } finally {
    for (const probe of probes) {
      ctx.probes.forget(probe.id);
    }
  }

  const waitedMs = Date.now() - start;
  const after = ctx.metrics.ingest.snapshot();
  const dropReasons = (source: string) => {
    const was = before.sources[source as SourceName]?.dropped ?? {};
    const now = after.sources[source as SourceName]?.dropped ?? {};
    return Object.entries(now)
      .filter(([reason, count]) => reason !== 'kernel' && (count ?? 0) > (was[reason as keyof typeof was] ?? 0))
      .map(([reason]) => reason);
  };
  const failures = (snapshot: typeof before) => Object.values(snapshot.failed).reduce((sum, n) => sum + (n ?? 0), 0);
  const state = {
    waitedMs,
    esReachable,
    esError,
    deadLettered: after.deadLettered > before.deadLettered,
    deadLetterIndex: ctx.config.elasticsearch.deadLetterIndex,
    sinkFailures: failures(after) - failures(before),
    queueDepth: after.queue.events,
  };
  const sources: DoctorSourceResult[] = probes.map(({ listener, marks, sentAtMs, sendError }) =>
    diagnose(listener.source, listener, { sendError, ...stageTimings(sentAtMs, marks), dropReasons: dropReasons(listener.source) }, state)
  );
  // UDP loss the doctor's one message may not hit, but real traffic does.
  for (const [source, counts] of Object.entries(after.sources)) {
    if (counts && counts.kernelDropsLastMinute > 0) {
      problems.push(`${source}: ${kernelDropAdvice(counts.kernelDropsLastMinute, counts.dropped.kernel ?? 0)}`);
    }
  }
  return { ok: problems.length === 0 && sources.every((s) => s.ok), tag, finishedAt: new Date().toISOString(), sources, problems };
}

/** The ids among `ids` a search finds now. */
async function findProbes(ctx: ProxyContext, ids: string[]): Promise<Set<string>> {
  const found = await ctx.es.search<Record<string, unknown>>(`${ctx.config.elasticsearch.indexPrefix}*`, {
    size: ids.length,
    query: { bool: { should: ids.map((id) => ({ match: { [PROBE_FIELD]: id } })), minimum_should_match: 1 } },
    _source: [PROBE_FIELD],
  });
  return new Set(found.hits.hits.map((hit) => String(hit._source?.[PROBE_FIELD] ?? '')));
}
