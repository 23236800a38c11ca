/**
 * The documents the limit sampler writes to the daily `<limit prefix>YYYY.MM.dd` indices, and the field names the
 * query builder, the index template and the alert docs (docs/limit-alerts.md) rely on. Three kinds:
 *
 * - `counter`: one DreamFactory limit counter at one sample (each-user limits have one counter per user). Written when
 *   the counter is in use (attempts > 0) or changed since the previous sample; an idle counter that stays idle is not
 *   stored, so a quiet each-user limit costs nothing per user.
 * - `limit`: one per limit per successful sample, whatever its counters do: the busiest counter's usage, how many
 *   counters are in use or at their maximum, and the nearest projected trip. Their presence also proves the sampler
 *   looked at that time, so an empty interval in a chart is "not sampled", never a made-up zero.
 * - `gap`: a sample that failed (DreamFactory unreachable, refused, or answered nonsense), with the reason.
 */
import { createHash } from 'node:crypto';

export type LimitDocumentKind = 'counter' | 'limit' | 'gap';

/** What happened to a counter's window since the previous sample. */
export type WindowChange = 'started' | 'ended' | 'reset';

export interface LimitFields {
  id: number;
  name: string;
  type: string;
  type_label: string;
  period: string;
  period_seconds: number;
  rate: number;
  active: boolean;
  verb: string | null;
  endpoint: string | null;
  /** DreamFactory's key_text (each-user limits: with an empty user). */
  key: string;
}

export interface PartyFields {
  user?: { id: string; name: string | null; email: string | null };
  role?: { id: number; name: string | null };
  service?: { id: number; name: string | null };
}

export interface ProjectionFields {
  /** Calls per hour at the estimated rate. */
  rate_per_hour: number;
  /** When the counter reaches its maximum at that rate; absent when it is not rising. */
  trips_at?: string;
  /** True when `trips_at` comes before the window can reset (`window.ends_by`). */
  in_window: boolean;
}

export interface WindowFields {
  change?: WindowChange;
  /** The window's first counted call came after this sample time (absent: the counter was first seen in use). */
  started_after?: string;
  started_by?: string;
  /** The latest the window can end (`started_by` + the period); a lockout may run longer. */
  ends_by?: string;
}

interface DocumentBase {
  '@timestamp': string;
  kind: LimitDocumentKind;
}

export interface CounterDocument extends DocumentBase, PartyFields {
  kind: 'counter';
  limit: LimitFields;
  /** attempts / max, 0 to 1. */
  usage: number;
  counter: {
    /** `<limit id>/<key>`: unique across limits and users. */
    id: string;
    key: string;
    attempts: number;
    max: number;
    remaining: number;
    /**
     * The next call is refused. DreamFactory reports a counter at its maximum and one in lockout the same way
     * (attempts = max, remaining = 0), and both answer the next call with 429.
     */
    locked_out: boolean;
    /** First sample of the current run at the maximum. */
    at_max_since?: string;
  };
  /** This sample is the first at the maximum in this window: one trip, counted once. */
  trip: boolean;
  window: WindowFields;
  projection?: ProjectionFields;
  /** The sample this one is compared with (a trip happened between the two); absent for a counter seen first. */
  previous_sample_at?: string;
}

/** Which user an each-user counter counts, as of the sample (`user_label`: email, else name, else id). */
export interface CounterUser {
  user_id?: string;
  user_label?: string;
}

export interface LimitDocument extends DocumentBase, PartyFields {
  kind: 'limit';
  limit: LimitFields;
  /** The busiest counter's attempts / max (0 when no counter is in use). */
  usage: number;
  counters: { total: number; in_use: number; at_max: number; tripped: number };
  busiest?: { key: string } & CounterUser;
  /** The earliest projected trip in the current window among the limit's counters. */
  projection?: ProjectionFields & { key: string } & CounterUser;
}

export interface GapDocument extends DocumentBase {
  kind: 'gap';
  gap: { reason: string; last_sample_at?: string };
}

export type LimitHistoryDocument = CounterDocument | LimitDocument | GapDocument;

/** Field names the queries read, declared once. */
export const LIMIT_DOC_FIELDS = {
  timestamp: '@timestamp',
  kind: 'kind',
  limitId: 'limit.id',
  limitName: 'limit.name',
  limitVerb: 'limit.verb',
  userId: 'user.id',
  serviceName: 'service.name',
  usage: 'usage',
  counterId: 'counter.id',
  trip: 'trip',
  inWindow: 'projection.in_window',
  tripsAt: 'projection.trips_at',
} as const;

export const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Deterministic: the same sample indexed twice (a retry after Elasticsearch refused or timed out) overwrites itself.
 */
export function documentId(doc: LimitHistoryDocument): string {
  const parts: Array<string | number> = [doc.kind, doc['@timestamp']];
  if (doc.kind === 'counter') {
    parts.push(doc.counter.id);
  } else if (doc.kind === 'limit') {
    parts.push(doc.limit.id);
  }
  return createHash('sha256').update(parts.join('\n')).digest('base64url');
}
