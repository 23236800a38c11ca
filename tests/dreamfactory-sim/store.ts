/**
 * The simulator's DreamFactory state: seeded users, admins, roles, services, limits and the limit counter store
 * (df-limits' limit_cache), with DreamFactory's write rules for limits (contract §2). Deterministic for a seed.
 */
import type { LimitPeriod, LimitType, LimitVerb } from '@shared/limits-api';
import {
  LIMIT_PERIODS,
  computeKeyText,
  dfErrorFor,
  limitTypeInfo,
  normaliseEndpoint,
  parsePeriod,
  parseRate,
  validateLimit,
  type LimitCandidate,
  type LimitLookups,
} from '@shared/limits';
import { prng } from './prng';
import { DfError, notFound } from './errors';
import type { Row } from './list-query';

export type SimUser = {
  id: number;
  name: string | null;
  username: string;
  first_name: string | null;
  last_name: string | null;
  last_login_date: string | null;
  email: string;
  is_active: boolean;
  phone: string | null;
  security_question: string | null;
  default_app_id: number | null;
  created_date: string;
  last_modified_date: string;
  created_by_id: number | null;
  last_modified_by_id: number | null;
  confirmed: boolean;
  expired: boolean;
};

/** A limit row as the `limits` table holds it (period as its index). Column order = the table's. */
export type LimitRecord = {
  id: number;
  type: LimitType;
  key_text: string;
  rate: number;
  period: number;
  user_id: number | null;
  role_id: number | null;
  service_id: number | null;
  name: string;
  description: string | null;
  is_active: boolean;
  created_date: string;
  last_modified_date: string;
  endpoint: string | null;
  verb: LimitVerb | null;
};

export interface LimitCacheEntry {
  id: number;
  key: string;
  max: number;
  attempts: number;
  remaining: number;
}

export interface SimCall {
  userId?: number;
  /** Service name. */
  service: string;
  verb?: string;
  endpoint?: string;
  /** each_user limits count only JWT (or basic-auth) calls. */
  auth?: 'jwt' | 'apiKey';
}

export interface CallOutcome {
  status: 200 | 429;
  /** Ids of the limits that refused the call. */
  exceeded: number[];
  /** The last limit evaluated (what DreamFactory's X-RateLimit-* headers describe), if any applied. */
  last?: { id: number; max: number; remaining: number; periodSeconds: number };
}

export interface StoreOptions {
  users?: number;
  admins?: number;
  seed?: number;
  /** Seed a few demo limits (default true). */
  limits?: boolean;
  now?: () => number;
}

export const USER_FIELDS = new Set([
  'id',
  'name',
  'username',
  'first_name',
  'last_name',
  'last_login_date',
  'email',
  'is_active',
  'phone',
  'security_question',
  'default_app_id',
  'created_date',
  'last_modified_date',
  'created_by_id',
  'last_modified_by_id',
  'confirmed',
  'expired',
]);
export const ROLE_FIELDS = new Set([
  'id',
  'name',
  'description',
  'is_active',
  'created_date',
  'last_modified_date',
  'created_by_id',
  'last_modified_by_id',
]);
export const SERVICE_FIELDS = new Set([
  'id',
  'name',
  'label',
  'description',
  'is_active',
  'type',
  'mutable',
  'deletable',
  'created_date',
  'last_modified_date',
  'created_by_id',
  'last_modified_by_id',
]);
export const LIMIT_FIELDS = new Set([
  'id',
  'type',
  'key_text',
  'rate',
  'period',
  'user_id',
  'role_id',
  'service_id',
  'name',
  'description',
  'is_active',
  'created_date',
  'last_modified_date',
  'endpoint',
  'verb',
]);

const FIRST = [
  'Ada',
  'Grace',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Edsger',
  'Radia',
  'Tim',
  'Sophie',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Dijkstra',
  'Perlman',
];
const SERVICES: Array<[string, string, string]> = [
  ['system', 'system', 'System Management'],
  ['api_docs', 'swagger', 'Live API Docs'],
  ['files', 'local_file', 'Local File Storage'],
  ['logs', 'local_file', 'Local Log Storage'],
  ['db', 'sqlite', 'Local SQL Database'],
  ['email', 'local_email', 'Local Email Service'],
  ['user', 'user', 'User Management'],
  ['mysql', 'mysql', 'Orders database'],
];
const ROLES = ['Readers', 'Editors', 'Partners', 'Mobile app'];

/** "YYYY-MM-DD HH:MM:SS" (last_login_date) and ISO with microseconds (created/modified dates). */
const sqlDate = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const isoDate = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

interface Counter {
  attempts: number;
  windowStart: number;
  lockedUntil?: number;
}

export class SimStore {
  readonly users: SimUser[] = [];
  readonly roles: Row[] = [];
  readonly services: Row[] = [];
  readonly limits: LimitRecord[] = [];
  /** Role of each user (DreamFactory's user_to_app_to_role, reduced to one role per user). */
  readonly userRoles = new Map<number, number>();
  private readonly admins = new Set<number>();
  private readonly counters = new Map<string, Counter>();
  private nextLimitId = 1;
  readonly now: () => number;

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? Date.now;
    const rand = prng(options.seed ?? 1);
    const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
    const base = Date.UTC(2025, 0, 6, 9, 0, 0);
    const adminCount = options.admins ?? 2;
    const userCount = options.users ?? 25;
    ROLES.forEach((name, i) => {
      const at = isoDate(base + i * 60000);
      this.roles.push({
        id: i + 1,
        name,
        description: `${name} role`,
        is_active: true,
        created_date: at,
        last_modified_date: at,
        created_by_id: 1,
        last_modified_by_id: 1,
      });
    });
    SERVICES.forEach(([name, type, label], i) => {
      const at = isoDate(base + i * 60000);
      this.services.push({
        id: i + 1,
        name,
        label,
        description: label,
        is_active: true,
        type,
        mutable: type !== 'system' && type !== 'swagger',
        deletable: type !== 'system' && type !== 'swagger',
        created_date: at,
        last_modified_date: at,
        created_by_id: null,
        last_modified_by_id: null,
      });
    });
    for (let id = 1; id <= adminCount + userCount; id++) {
      const admin = id <= adminCount;
      const first = pick(FIRST);
      const last = pick(LAST);
      // Some non-admins registered without a name: dashboards must fall back to the email.
      const nameless = !admin && id % 5 === 0;
      const created = base + id * 3600000;
      this.users.push({
        id,
        name: nameless ? null : `${first} ${last}`,
        username: admin
          ? `admin${id}@dreamfactory.example`
          : `${first.toLowerCase()}.${last.toLowerCase()}${id}@example.com`,
        first_name: nameless ? null : first,
        last_name: nameless ? null : last,
        last_login_date: rand() < 0.8 ? sqlDate(created + Math.floor(rand() * 30) * 86400000) : null,
        email: admin
          ? `admin${id}@dreamfactory.example`
          : `${first.toLowerCase()}.${last.toLowerCase()}${id}@example.com`,
        is_active: admin || rand() < 0.9,
        phone: rand() < 0.5 ? `+1-555-01${String(id % 100).padStart(2, '0')}` : null,
        security_question: null,
        default_app_id: null,
        created_date: isoDate(created),
        last_modified_date: isoDate(created),
        created_by_id: admin ? null : 1,
        last_modified_by_id: admin ? null : 1,
        confirmed: true,
        expired: false,
      });
      if (admin) {
        this.admins.add(id);
      } else {
        this.userRoles.set(id, 1 + Math.floor(rand() * ROLES.length));
      }
    }
    if (options.limits ?? true) {
      this.seedLimits();
    }
  }

  private seedLimits(): void {
    const db = this.services.find((s) => s.name === 'db')!.id as number;
    this.createLimits([
      { name: 'Whole instance', description: 'Protects the instance', type: 'instance', rate: 10000, period: 'hour' },
      { name: 'Fair use per user', type: 'instance.each_user', rate: 1000, period: 'day' },
      { name: 'Database writes', type: 'instance.service', service_id: db, rate: 600, period: 'minute', verb: 'POST' },
    ]);
  }

  isAdmin(userId: number): boolean {
    return this.admins.has(userId);
  }

  nonAdmins(): SimUser[] {
    return this.users.filter((u) => !this.admins.has(u.id));
  }

  adminUsers(): SimUser[] {
    return this.users.filter((u) => this.admins.has(u.id));
  }

  lookups(): LimitLookups {
    const ids = (rows: Row[]) => new Set(rows.map((r) => r.id as number));
    return { userIds: ids(this.users), roleIds: ids(this.roles), serviceIds: ids(this.services) };
  }

  limit(id: number | string): LimitRecord {
    const found = this.limits.find((l) => String(l.id) === String(id));
    if (!found) {
      throw notFound(id);
    }
    return found;
  }

  /** DreamFactory's enrichment (nullify unused ids, trim the endpoint, key_text) after validation. */
  private enrich(candidate: LimitCandidate): Omit<LimitRecord, 'id' | 'created_date' | 'last_modified_date'> {
    const t = limitTypeInfo(String(candidate.type))!;
    const keep = (need: string, value: unknown) => (need === 'none' ? null : ((value ?? null) as number | null));
    const record = {
      type: t.type,
      key_text: '',
      rate: parseRate(candidate.rate)!,
      period: parsePeriod(candidate.period)!.index,
      user_id: t.eachUser ? null : keep(t.userId, candidate.user_id),
      role_id: keep(t.roleId, candidate.role_id),
      service_id: keep(t.serviceId, candidate.service_id),
      name: String(candidate.name),
      description: (candidate.description ?? null) as string | null,
      is_active:
        candidate.is_active === undefined ? true : ![false, 0, '0', 'false'].includes(candidate.is_active as never),
      endpoint: t.endpoint === 'none' ? null : normaliseEndpoint((candidate.endpoint ?? null) as string | null),
      verb: candidate.verb ? (String(candidate.verb).toUpperCase() as LimitVerb) : null,
    };
    record.key_text = computeKeyText(record);
    return record;
  }

  private duplicate(record: { key_text: string }, exceptId?: number, batchKeys?: ReadonlySet<string>): DfError | null {
    const clash =
      this.limits.some((l) => l.key_text === record.key_text && l.id !== exceptId) ||
      Boolean(batchKeys?.has(record.key_text));
    return clash
      ? new DfError(400, 'A limit already exists with those parameters. No records added.', 400, record)
      : null;
  }

  /**
   * POST system/limit. Type/id checks and duplicates fail the whole request before anything is written; a record
   * failing the model's rules stops the batch there (earlier records stay created), as in DreamFactory.
   */
  createLimits(candidates: LimitCandidate[]): LimitRecord[] {
    const lookups = this.lookups();
    const batchKeys = new Set<string>();
    const checked = candidates.map((candidate) => {
      const error = validateLimit(candidate, lookups);
      if (error && !error.invalid) {
        const body = dfErrorFor(error);
        throw new DfError(400, body.message, body.code, body.context);
      }
      if (error) {
        return { error };
      }
      const record = this.enrich(candidate);
      // The unique key_text index also refuses twins within one batch.
      const clash = this.duplicate(record, undefined, batchKeys);
      if (clash) {
        throw clash;
      }
      batchKeys.add(record.key_text);
      return { record };
    });
    const created: LimitRecord[] = [];
    for (const [index, item] of checked.entries()) {
      if (item.error) {
        const body = dfErrorFor(item.error, index);
        const context = body.context as { error: number[]; resource: unknown[] };
        context.resource = [...created.map((l) => ({ id: l.id })), ...context.resource];
        throw new DfError(400, body.message, body.code, context);
      }
      const at = isoDate(this.now());
      const limit: LimitRecord = { id: this.nextLimitId++, ...item.record!, created_date: at, last_modified_date: at };
      this.limits.push(limit);
      created.push(limit);
    }
    return created;
  }

  /** PATCH/PUT system/limit/{id}: merge, re-validate, recompute the key; a rate change clears a lockout. */
  updateLimit(id: number | string, patch: LimitCandidate): LimitRecord {
    const current = this.limit(id);
    const merged = { ...current, period: current.period, ...patch } as LimitCandidate;
    const error = validateLimit(merged, this.lookups());
    if (error) {
      throw new DfError(400, error.message, 400, error.invalid ?? null);
    }
    const record = this.enrich(merged);
    if (record.key_text !== current.key_text) {
      const clash = this.duplicate(record, current.id);
      if (clash) {
        throw clash;
      }
    }
    if (
      record.rate !== current.rate &&
      this.counterKeys(current).some((key) => this.counter(current, key).lockedUntil)
    ) {
      this.clearCounters(current);
    }
    Object.assign(current, record, { last_modified_date: isoDate(this.now()) });
    return current;
  }

  /** DELETE system/limit: counters are cleared first. */
  deleteLimit(id: number | string): number {
    const limit = this.limit(id);
    this.clearCounters(limit);
    this.limits.splice(this.limits.indexOf(limit), 1);
    return limit.id;
  }

  private counterKeys(limit: LimitRecord): string[] {
    if (!limitTypeInfo(limit.type)?.eachUser) {
      return [limit.key_text];
    }
    return this.nonAdmins()
      .filter((u) => u.is_active)
      .map((u) => computeKeyText({ ...limit, period: limit.period }, u.id));
  }

  private periodMs(limit: LimitRecord): number {
    return LIMIT_PERIODS[limit.period].seconds * 1000;
  }

  /** A counter as it stands now (a window that has run out counts as empty). */
  private counter(limit: LimitRecord, key: string): Counter {
    const now = this.now();
    const c = this.counters.get(key);
    if (!c || (c.lockedUntil ?? c.windowStart + this.periodMs(limit)) <= now) {
      return { attempts: 0, windowStart: now };
    }
    return c;
  }

  /** limit_cache entries of one limit (one per active non-admin user for each-user types). */
  cacheEntries(limit: LimitRecord): LimitCacheEntry[] {
    return this.counterKeys(limit).map((key) => {
      const c = this.counter(limit, key);
      const attempts = c.lockedUntil ? limit.rate : Math.min(c.attempts, limit.rate);
      return { id: limit.id, key, max: limit.rate, attempts, remaining: limit.rate - attempts };
    });
  }

  /** Resets every counter of a limit (all users for each-user types). */
  clearCounters(limit: LimitRecord): void {
    for (const key of this.counterKeys(limit)) {
      this.counters.delete(key);
    }
  }

  /** `allow_delete=true`: the whole limit store. */
  flushCounters(): void {
    this.counters.clear();
  }

  private applies(limit: LimitRecord, call: SimCall, serviceId: number | undefined): boolean {
    const t = limitTypeInfo(limit.type)!;
    if (!limit.is_active || (limit.verb && limit.verb !== (call.verb ?? 'GET').toUpperCase())) {
      return false;
    }
    if (t.eachUser && (call.userId === undefined || call.auth === 'apiKey')) {
      return false;
    }
    if (t.userId === 'required' && limit.user_id !== call.userId) {
      return false;
    }
    if (t.roleId === 'required' && (call.userId === undefined || this.userRoles.get(call.userId) !== limit.role_id)) {
      return false;
    }
    if (t.serviceId === 'required' && limit.service_id !== serviceId) {
      return false;
    }
    if (t.endpoint !== 'none' && limit.endpoint) {
      const endpoint = normaliseEndpoint(call.endpoint ?? '') ?? '';
      const prefix = limit.endpoint.endsWith('*') ? limit.endpoint.slice(0, -1) : undefined;
      return prefix !== undefined ? endpoint.startsWith(prefix) : endpoint === limit.endpoint;
    }
    return true;
  }

  /**
   * One API call under df.evaluate_limits, simplified: admins are exempt, every matching active limit ticks, the
   * call over a limit's rate gets 429 and locks that counter for one full period, and 429s are not counted.
   * (DreamFactory's overrides — a user limit over its each-user twin, a verb limit over its verb-less twin — are not
   * modelled: both tick.)
   */
  recordCall(call: SimCall): CallOutcome {
    if (call.userId !== undefined && this.isAdmin(call.userId)) {
      return { status: 200, exceeded: [] };
    }
    const serviceId = this.services.find((s) => s.name === call.service)?.id as number | undefined;
    const now = this.now();
    const hits = this.limits
      .filter((limit) => this.applies(limit, call, serviceId))
      .map((limit) => {
        const key = limitTypeInfo(limit.type)!.eachUser ? computeKeyText(limit, call.userId) : limit.key_text;
        return { limit, key, counter: this.counter(limit, key) };
      });
    const exceeded = hits.filter(
      ({ limit, counter }) => counter.lockedUntil !== undefined || counter.attempts >= limit.rate
    );
    if (exceeded.length > 0) {
      for (const { limit, key, counter } of exceeded) {
        this.counters.set(key, {
          ...counter,
          attempts: limit.rate,
          lockedUntil: counter.lockedUntil ?? now + this.periodMs(limit),
        });
      }
      const last = exceeded[exceeded.length - 1].limit;
      return { status: 429, exceeded: exceeded.map(({ limit }) => limit.id), last: this.describe(last, 0) };
    }
    for (const { key, counter } of hits) {
      this.counters.set(key, { ...counter, attempts: counter.attempts + 1 });
    }
    const last = hits[hits.length - 1];
    return {
      status: 200,
      exceeded: [],
      ...(last && { last: this.describe(last.limit, last.limit.rate - last.counter.attempts - 1) }),
    };
  }

  private describe(limit: LimitRecord, remaining: number): NonNullable<CallOutcome['last']> {
    return { id: limit.id, max: limit.rate, remaining, periodSeconds: LIMIT_PERIODS[limit.period].seconds };
  }
}

/** A limit row as GET list answers it: period by name. */
export function limitWithPeriodName(limit: LimitRecord): Row {
  return { ...limit, period: LIMIT_PERIODS[limit.period].period as LimitPeriod };
}
