/**
 * Pure: the limit-history frames the proxy answers (see LIMIT_HISTORY_FIELDS) read into what the Limits page shows,
 * and the words it uses for a projection. Projections are estimates; every text that states one says so.
 */
import { FRAME_COLUMNS, LIMIT_HISTORY_FIELDS as C, type FrameJSON, type LimitForecastMeta } from '@shared/query';

export interface UsagePoint {
  time: number;
  /** attempts / max, 0–1; null where the sampler has no sample (off, or DreamFactory unreadable). */
  usage: number | null;
}

/** A limit as of the latest sample: its busiest counter and its nearest projected trip. */
export interface LimitForecast {
  usage: number;
  /** The busiest counter's user (each-user and user limits). */
  user: string | null;
  countersAtMax: number;
  ratePerHour: number | null;
  tripsAt: number | null;
  inWindow: boolean;
  /** Whose counter the projection is about (each-user limits). */
  projectedFor: string | null;
}

export interface HistoryMeta {
  sampledAt?: string;
  projectionMethod?: string;
  /** What the proxy said about the data: outages, no samples. */
  notices: string[];
}

export interface LimitHistoryOverview extends HistoryMeta {
  usage: Map<number, UsagePoint[]>;
  trips: Map<number, number>;
  forecast: Map<number, LimitForecast>;
}

export interface NearLimitRow {
  /** `<limit id>/<user id or '-'>`: unique per counter. */
  key: string;
  limitId: number;
  limit: string;
  user: string | null;
  service: string | null;
  attempts: number;
  max: number;
  usage: number;
  lockedOut: boolean;
  atMaxSince: number | null;
  ratePerHour: number | null;
  tripsAt: number | null;
  inWindow: boolean;
  windowEndsBy: number | null;
}

export interface NearLimits extends HistoryMeta {
  rows: NearLimitRow[];
}

type Row = Record<string, unknown>;

function rowsOf(frame: FrameJSON): Row[] {
  const length = frame.fields[0]?.values.length ?? 0;
  return Array.from({ length }, (_, i) =>
    Object.fromEntries(frame.fields.map((field) => [field.name, field.values[i]]))
  );
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export function usageByLimit(frame: FrameJSON): Map<number, UsagePoint[]> {
  const times = frame.fields.find((field) => field.name === C.time)?.values ?? [];
  const usage = new Map<number, UsagePoint[]>();
  for (const field of frame.fields) {
    const id = Number(field.labels?.[C.limitId]);
    if (field.name === C.usage && Number.isInteger(id)) {
      usage.set(
        id,
        field.values.map((value, i) => ({ time: Number(times[i]), usage: num(value) }))
      );
    }
  }
  return usage;
}

export function tripsByLimit(frame: FrameJSON): Map<number, number> {
  return new Map(rowsOf(frame).map((row) => [Number(row[C.limitId]), num(row[C.trips]) ?? 0]));
}

export function forecastByLimit(frame: FrameJSON): Map<number, LimitForecast> {
  return new Map(
    rowsOf(frame).map((row) => [
      Number(row[C.limitId]),
      {
        usage: num(row[C.usage]) ?? 0,
        user: str(row[FRAME_COLUMNS.user]),
        countersAtMax: num(row[C.countersAtMax]) ?? 0,
        ratePerHour: num(row[C.ratePerHour]),
        tripsAt: num(row[C.projectedTrip]),
        inWindow: row[C.inWindow] === true,
        projectedFor: str(row[C.projectedFor]),
      },
    ])
  );
}

export function nearLimitRows(frame: FrameJSON): NearLimitRow[] {
  return rowsOf(frame).map((row) => ({
    key: `${row[C.limitId]}/${row[FRAME_COLUMNS.userId] ?? '-'}`,
    limitId: Number(row[C.limitId]),
    limit: str(row[C.limit]) ?? `Limit ${row[C.limitId]}`,
    user: str(row[FRAME_COLUMNS.user]),
    service: str(row[C.service]),
    attempts: num(row[C.attempts]) ?? 0,
    max: num(row[C.max]) ?? 0,
    usage: num(row[C.usage]) ?? 0,
    lockedOut: row[C.lockedOut] === true,
    atMaxSince: num(row[C.atMaxSince]),
    ratePerHour: num(row[C.ratePerHour]),
    tripsAt: num(row[C.projectedTrip]),
    inWindow: row[C.inWindow] === true,
    windowEndsBy: num(row[C.windowEndsBy]),
  }));
}

export function readForecastMeta(...frames: FrameJSON[]): HistoryMeta {
  const custom = frames
    .map((frame) => frame.meta?.custom as Partial<LimitForecastMeta> | undefined)
    .find((c) => c?.projectionMethod);
  const notices = [...new Set(frames.flatMap((frame) => (frame.meta?.notices ?? []).map((notice) => notice.text)))];
  return { sampledAt: custom?.sampledAt, projectionMethod: custom?.projectionMethod, notices };
}

export type ProjectionKind =
  'at-limit' | 'projected' | 'resets-first' | 'not-rising' | 'idle' | 'unknown' | 'no-trip-expected';

export interface ProjectionWords {
  kind: ProjectionKind;
  text: string;
}

/** How a projection reads: "Estimate: at the current rate, trips at 14:20" and its siblings. */
export function describeProjection(
  state: {
    usage: number;
    tripsAt: number | null;
    inWindow: boolean;
    ratePerHour: number | null;
    atMaxSince?: number | null;
  },
  formatTime: (ms: number) => string
): ProjectionWords {
  if (state.usage >= 1) {
    return {
      kind: 'at-limit',
      text: state.atMaxSince ? `At its limit since ${formatTime(state.atMaxSince)}` : 'At its limit now',
    };
  }
  if (state.tripsAt !== null && state.inWindow) {
    return { kind: 'projected', text: `Estimate: at the current rate, trips at ${formatTime(state.tripsAt)}` };
  }
  if (state.tripsAt !== null) {
    return { kind: 'resets-first', text: 'Estimate: its window resets before it would trip' };
  }
  if (state.ratePerHour === 0) {
    return { kind: 'not-rising', text: 'Not rising in this window' };
  }
  if (state.usage === 0) {
    return { kind: 'idle', text: 'Not in use' };
  }
  return { kind: 'unknown', text: 'No estimate yet (needs two samples of this window)' };
}

/**
 * A limit's projection: its nearest projected trip among all its counters. Without one, none of its counters is
 * expected to trip in its window.
 */
export function describeLimitProjection(forecast: LimitForecast, formatTime: (ms: number) => string): ProjectionWords {
  if (forecast.usage > 0 && forecast.usage < 1 && !(forecast.tripsAt !== null && forecast.inWindow)) {
    return { kind: 'no-trip-expected', text: 'Estimate: not expected to trip in this window' };
  }
  return describeProjection(forecast, formatTime);
}

/** The history shown in one row of the Limits table. */
export interface LimitRowHistory {
  usage: UsagePoint[];
  trips: number;
  forecast?: LimitForecast;
}

export function historyOfLimit(
  overview: LimitHistoryOverview | undefined,
  limitId: number
): LimitRowHistory | undefined {
  if (!overview) {
    return undefined;
  }
  return {
    usage: overview.usage.get(limitId) ?? [],
    trips: overview.trips.get(limitId) ?? 0,
    forecast: overview.forecast.get(limitId),
  };
}
