/**
 * The simulator's DreamFactory state: users (admins and not), roles, services, limits and the limit store, seeded
 * deterministically for a seed, with DreamFactory's write rules: limits checked by `limit-rules.ts`, and deleting a
 * user, role or service deleting the limits that name it together with their counters.
 */
import { DfError, batchError, notFound } from './errors';
import { evaluateLimits, type Evaluation, type LimitedCall } from './evaluate-limits';
import { LimitCounters, type CacheEntry } from './limit-counters';
import {
  DUPLICATE,
  PERIODS,
  checkLimit,
  createBatchError,
  invalidData,
  isEachUser,
  limitKey,
  type CheckedLimit,
  type ExistingIds,
} from './limit-rules';
import type { Column, Row, Table } from './list-query';
import { filterBool } from './php';
import { prng } from './prng';

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

/** A limit row as the `limits` table holds it (period as its index). */
export type LimitRecord = { id: number } & CheckedLimit & { created_date: string; last_modified_date: string };

export type LimitCacheEntry = CacheEntry;

/** A call as the demo traffic and tests describe it (`POST /_sim/calls`). */
export interface SimCall {
  userId?: number;
  /** Service name. */
  service: string;
  verb?: string;
  endpoint?: string;
  /** each_user limits count only session (JWT) or basic-auth calls. */
  auth?: 'jwt' | 'apiKey';
}

export interface CallOutcome {
  status: 200 | 429;
  /** Ids of the limits that refused the call. */
  exceeded: number[];
  /** What the 429's X-RateLimit-* and Retry-After headers say (the last active limit evaluated). */
  headers?: { limit: number; remaining: number; retryAfter: number };
}

export interface StoreOptions {
  users?: number;
  admins?: number;
  seed?: number;
  /** Seed a few demo limits (default true). */
  limits?: boolean;
  /** Password of every seeded user (default "dreamfactory"). */
  password?: string;
  now?: () => number;
}

const column = (name: string, type: Column['type'], allowNull = true): Column => ({ name, type, allowNull });

const USER_COLUMNS: Column[] = [
  column('id', 'id', false),
  column('name', 'string'),
  column('username', 'string'),
  column('first_name', 'string'),
  column('last_name', 'string'),
  column('last_login_date', 'datetime'),
  column('email', 'string', false),
  column('is_active', 'boolean', false),
  column('phone', 'string'),
  column('security_question', 'string'),
  column('default_app_id', 'reference'),
  column('created_date', 'timestamp'),
  column('last_modified_date', 'timestamp'),
  column('created_by_id', 'reference'),
  column('last_modified_by_id', 'reference'),
  column('confirmed', 'boolean', false),
  column('expired', 'boolean', false),
];

export const USER_TABLE: Table = {
  name: 'user',
  label: 'User',
  plural: 'Users',
  nameField: 'name',
  columns: USER_COLUMNS,
};
export const ADMIN_TABLE: Table = { ...USER_TABLE, label: 'Admin', plural: 'Admins' };
export const ROLE_TABLE: Table = {
  name: 'role',
  label: 'Role',
  plural: 'Roles',
  nameField: 'name',
  columns: [
    column('id', 'id', false),
    column('name', 'string', false),
    column('description', 'text'),
    column('is_active', 'boolean', false),
    column('created_date', 'timestamp'),
    column('last_modified_date', 'timestamp'),
    column('created_by_id', 'reference'),
    column('last_modified_by_id', 'reference'),
  ],
};
export const SERVICE_TABLE: Table = {
  name: 'service',
  label: 'Service',
  plural: 'Services',
  nameField: 'name',
  columns: [
    column('id', 'id', false),
    column('name', 'string', false),
    column('label', 'string'),
    column('description', 'text'),
    column('is_active', 'boolean', false),
    column('type', 'string', false),
    column('mutable', 'boolean', false),
    column('deletable', 'boolean', false),
    column('created_date', 'timestamp'),
    column('last_modified_date', 'timestamp'),
    column('created_by_id', 'reference'),
    column('last_modified_by_id', 'reference'),
  ],
};
export const LIMIT_TABLE: Table = {
  name: 'limits',
  label: 'Limits',
  plural: 'Limits',
  nameField: 'name',
  columns: [
    column('id', 'id', false),
    column('type', 'string', false),
    column('key_text', 'string', false),
    column('rate', 'integer', false),
    column('period', 'integer', false),
    column('user_id', 'reference'),
    column('role_id', 'reference'),
    column('service_id', 'reference'),
    column('name', 'string', false),
    column('description', 'string'),
    column('is_active', 'boolean', false),
    column('created_date', 'timestamp'),
    column('last_modified_date', 'timestamp'),
    column('endpoint', 'text'),
    column('verb', 'string'),
  ],
};

const FIRST = ['Ada', 'Grace', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Edsger', 'Radia', 'Tim'];
const LAST = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen', 'Dijkstra'];
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
/** Service types DreamFactory creates itself; they cannot be changed or deleted. */
const BUILT_IN_TYPES = new Set(['system', 'swagger', 'user']);

/** "YYYY-MM-DD HH:MM:SS" (last_login_date) and ISO with microseconds (created/modified dates). */
export const sqlDate = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const isoDate = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

const given = (value: unknown) => value !== undefined && value !== null;
const text = (value: unknown) => (given(value) ? String(value) : null);

export class SimStore {
  readonly users: SimUser[] = [];
  readonly roles: Row[] = [];
  readonly services: Row[] = [];
  readonly limits: LimitRecord[] = [];
  /** Role of each non-admin user for the simulator's app (DreamFactory's user_to_app_to_role, one app). */
  readonly userRoles = new Map<number, number>();
  readonly counters: LimitCounters;
  readonly now: () => number;
  private readonly admins = new Set<number>();
  private readonly passwords = new Map<number, string>();
  private readonly nextId = { user: 1, role: 1, service: 1, limit: 1 };
  private readonly defaultPassword: string;

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.counters = new LimitCounters(this.now);
    this.defaultPassword = options.password ?? 'dreamfactory';
    const rand = prng(options.seed ?? 1);
    const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
    const base = Date.UTC(2025, 0, 6, 9, 0, 0);
    const adminCount = options.admins ?? 2;
    const userCount = options.users ?? 25;
    ROLES.forEach((name, i) => this.addRole({ name, description: `${name} role` }, base + i * 60000));
    SERVICES.forEach(([name, type, label], i) => this.addService({ name, type, label }, base + i * 60000));
    for (let n = 1; n <= adminCount + userCount; n++) {
      const admin = n <= adminCount;
      const first = pick(FIRST);
      const last = pick(LAST);
      // Some non-admins registered without a name: dashboards must fall back to the email.
      const nameless = !admin && n % 5 === 0;
      const created = base + n * 3600000;
      const email = admin
        ? `admin${n}@dreamfactory.example`
        : `${first.toLowerCase()}.${last.toLowerCase()}${n}@example.com`;
      const user = this.addUser(
        {
          name: nameless ? null : `${first} ${last}`,
          first_name: nameless ? null : first,
          last_name: nameless ? null : last,
          email,
          is_active: admin || rand() < 0.9,
          phone: rand() < 0.5 ? `+1-555-01${String(n % 100).padStart(2, '0')}` : null,
        },
        admin,
        created
      );
      user.last_login_date = rand() < 0.8 ? sqlDate(created + Math.floor(rand() * 30) * 86400000) : null;
      if (!admin) {
        this.userRoles.set(user.id, 1 + Math.floor(rand() * ROLES.length));
      }
    }
    if (options.limits ?? true) {
      this.seedLimits();
    }
  }

  private seedLimits(): void {
    const db = this.serviceByName('db')!.id as number;
    this.createLimits([
      { name: 'Whole instance', description: 'Protects the instance', type: 'instance', rate: 10000, period: 'hour' },
      { name: 'Fair use per user', type: 'instance.each_user', rate: 1000, period: 'day' },
      { name: 'Database writes', type: 'instance.service', service_id: db, rate: 600, period: 'minute', verb: 'POST' },
    ]);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Users, roles, services

  isAdmin(userId: number): boolean {
    return this.admins.has(userId);
  }

  nonAdmins(): SimUser[] {
    return this.users.filter((u) => !this.admins.has(u.id));
  }

  adminUsers(): SimUser[] {
    return this.users.filter((u) => this.admins.has(u.id));
  }

  serviceByName(name: string): Row | undefined {
    return this.services.find((s) => s.name === name);
  }

  /** Email + password + admin or not, as login checks them (active users only). */
  authenticate(email: unknown, password: unknown, admin: boolean): SimUser | undefined {
    const user = this.users.find(
      (u) => u.email.toLowerCase() === String(email).toLowerCase() && u.is_active && this.isAdmin(u.id) === admin
    );
    return user && this.passwords.get(user.id) === password ? user : undefined;
  }

  private addUser(input: Row, admin: boolean, at = this.now()): SimUser {
    const id = this.nextId.user++;
    const email = String(input.email);
    const user: SimUser = {
      id,
      name: text(input.name),
      username: text(input.username) ?? email,
      first_name: text(input.first_name),
      last_name: text(input.last_name),
      last_login_date: null,
      email,
      is_active: !given(input.is_active) || filterBool(input.is_active),
      phone: text(input.phone),
      security_question: null,
      default_app_id: null,
      created_date: isoDate(at),
      last_modified_date: isoDate(at),
      created_by_id: admin ? null : 1,
      last_modified_by_id: admin ? null : 1,
      confirmed: true,
      expired: false,
    };
    this.users.push(user);
    this.passwords.set(id, given(input.password) ? String(input.password) : this.defaultPassword);
    if (admin) {
      this.admins.add(id);
    }
    return user;
  }

  private addRole(input: Row, at = this.now()): Row {
    const role = {
      id: this.nextId.role++,
      name: String(input.name),
      description: text(input.description),
      is_active: !given(input.is_active) || filterBool(input.is_active),
      created_date: isoDate(at),
      last_modified_date: isoDate(at),
      created_by_id: 1,
      last_modified_by_id: 1,
    };
    this.roles.push(role);
    return role;
  }

  private addService(input: Row, at = this.now()): Row {
    const type = String(input.type);
    const service = {
      id: this.nextId.service++,
      name: String(input.name),
      label: text(input.label),
      description: text(input.description ?? input.label),
      is_active: !given(input.is_active) || filterBool(input.is_active),
      type,
      mutable: !BUILT_IN_TYPES.has(type),
      deletable: !BUILT_IN_TYPES.has(type),
      created_date: isoDate(at),
      last_modified_date: isoDate(at),
      created_by_id: null,
      last_modified_by_id: null,
    };
    this.services.push(service);
    return service;
  }

  /**
   * POST system/user (or system/admin, system/role, system/service): each record is checked (required, unique) and
   * created in turn; the first that fails stops the batch, and the ones before it stay created.
   */
  create(kind: 'user' | 'admin' | 'role' | 'service', records: Row[]): Row[] {
    const created: Row[] = [];
    for (const record of records) {
      const problem = this.createProblem(kind, record);
      if (problem) {
        const done = created.map((row) => ({ id: row.id }));
        throw batchError('Batch Error: Not all requested records could be created.', [...done, problem]);
      }
      created.push(
        kind === 'role'
          ? this.addRole(record)
          : kind === 'service'
            ? this.addService(record)
            : this.addUser(record, kind === 'admin')
      );
    }
    return created;
  }

  private createProblem(kind: 'user' | 'admin' | 'role' | 'service', record: Row): DfError | undefined {
    const key = kind === 'user' || kind === 'admin' ? 'email' : 'name';
    const value = record[key];
    if (!given(value) || String(value).trim() === '') {
      return invalidData({ [key]: [`The ${key} field is required.`] });
    }
    const taken =
      kind === 'role'
        ? this.roles.some((r) => r.name === value)
        : kind === 'service'
          ? this.services.some((s) => s.name === value)
          : this.users.some((u) => u.email.toLowerCase() === String(value).toLowerCase());
    if (taken) {
      return invalidData({ [key]: [`The ${key} has already been taken.`] });
    }
    if (kind === 'service' && !given(record.type)) {
      return invalidData({ type: ['The type field is required.'] });
    }
    return undefined;
  }

  /** The record `kind` knows by this id, or DreamFactory's 404. */
  find(kind: 'user' | 'admin' | 'role' | 'service', id: number | string): Row {
    const rows: Row[] =
      kind === 'user'
        ? this.nonAdmins()
        : kind === 'admin'
          ? this.adminUsers()
          : kind === 'role'
            ? this.roles
            : this.services;
    const row = rows.find((r) => String(r.id) === String(id));
    if (!row) {
      throw notFound(id);
    }
    return row;
  }

  /**
   * Deletes a user, role or service, and (df-limits listens for these deletions) every limit naming it, counters
   * first.
   */
  remove(kind: 'user' | 'admin' | 'role' | 'service', id: number | string): Row {
    const row = this.find(kind, id);
    const rowId = row.id as number;
    const column = kind === 'role' ? 'role_id' : kind === 'service' ? 'service_id' : 'user_id';
    for (const limit of this.limits.filter((l) => l[column] === rowId)) {
      this.deleteLimit(limit.id);
    }
    if (kind === 'role') {
      this.roles.splice(this.roles.indexOf(row), 1);
      for (const [userId, roleId] of this.userRoles) {
        if (roleId === rowId) {
          this.userRoles.delete(userId);
        }
      }
    } else if (kind === 'service') {
      this.services.splice(this.services.indexOf(row), 1);
    } else {
      this.users.splice(this.users.indexOf(row as SimUser), 1);
      this.admins.delete(rowId);
      this.passwords.delete(rowId);
      this.userRoles.delete(rowId);
    }
    return row;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Limits

  private existing(): ExistingIds {
    const has = (rows: Row[]) => (id: unknown) => rows.some((r) => String(r.id) === String(id));
    return { user: has(this.users), role: has(this.roles), service: has(this.services) };
  }

  limit(id: number | string): LimitRecord {
    const found = this.limits.find((l) => String(l.id) === String(id));
    if (!found) {
      throw notFound(id);
    }
    return found;
  }

  private duplicateOf(record: CheckedLimit, exceptId?: number): DfError | undefined {
    const clash = this.limits.some((l) => l.key_text === record.key_text && l.id !== exceptId);
    return clash ? new DfError(400, DUPLICATE, 400, record) : undefined;
  }

  /**
   * POST system/limit. Every record is checked (and compared with the stored keys) before anything is written, so a
   * refusal there writes nothing; then records are written in turn, and one failing the model's rules stops the
   * batch with the earlier ones kept (DreamFactory does not roll back). Twins within one batch hit the table's unique
   * key at that record.
   */
  createLimits(candidates: Row[]): LimitRecord[] {
    const checked = candidates.map((candidate) => {
      const result = checkLimit(candidate, this.existing());
      if ('record' in result) {
        const duplicate = this.duplicateOf(result.record);
        if (duplicate) {
          throw duplicate;
        }
      }
      return result;
    });
    const created: LimitRecord[] = [];
    for (const result of checked) {
      if ('invalid' in result) {
        throw createBatchError(created, result.invalid);
      }
      const duplicate = this.duplicateOf(result.record);
      if (duplicate) {
        throw createBatchError(created, duplicate);
      }
      const at = isoDate(this.now());
      const r = result.record;
      // In the table's column order, which is the order DreamFactory answers the fields in.
      const limit: LimitRecord = {
        id: this.nextId.limit++,
        type: r.type,
        key_text: r.key_text,
        rate: r.rate,
        period: r.period,
        user_id: r.user_id,
        role_id: r.role_id,
        service_id: r.service_id,
        name: r.name,
        description: r.description,
        is_active: r.is_active,
        created_date: at,
        last_modified_date: at,
        endpoint: r.endpoint,
        verb: r.verb,
      };
      this.limits.push(limit);
      created.push(limit);
    }
    return created;
  }

  /** PATCH/PUT system/limit/{id}: merged into the stored record, checked again; a rate change lifts a lockout. */
  updateLimit(id: number | string, patch: Row): LimitRecord {
    const current = this.limit(id);
    const result = checkLimit({ ...current, ...patch }, this.existing());
    if ('invalid' in result) {
      throw result.invalid;
    }
    const record = result.record;
    if (record.key_text !== current.key_text) {
      const duplicate = this.duplicateOf(record, current.id);
      if (duplicate) {
        throw duplicate;
      }
    } else if (record.rate !== current.rate && this.counterKeys(current).some((k) => this.counters.isLockedOut(k))) {
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

  /** The keys a limit counts under: its own, or one per active non-admin user for each-user types. */
  private counterKeys(limit: LimitRecord): string[] {
    if (!isEachUser(limit.type)) {
      return [limit.key_text];
    }
    return this.nonAdmins()
      .filter((u) => u.is_active)
      .map((u) =>
        limitKey({
          type: limit.type,
          userId: u.id,
          roleId: limit.role_id,
          serviceId: limit.service_id,
          endpoint: limit.endpoint,
          verb: limit.verb,
          period: limit.period,
        })
      );
  }

  /** limit_cache entries of one limit (one per active non-admin user for each-user types; none when there are none). */
  cacheEntries(limit: LimitRecord): LimitCacheEntry[] {
    return this.counterKeys(limit).map((key) => this.counters.entry(limit.id, key, limit.rate));
  }

  /** Resets every counter of a limit (all users for each-user types). */
  clearCounters(limit: LimitRecord): void {
    this.counterKeys(limit).forEach((key) => this.counters.clear(key));
  }

  flushCounters(): void {
    this.counters.flush();
  }

  /** One API call through df.evaluate_limits (admins are exempt). */
  evaluate(call: LimitedCall & { userId?: number }): Evaluation<LimitRecord> {
    if (call.userId !== undefined && this.isAdmin(call.userId)) {
      return { refused: [] };
    }
    return evaluateLimits(this.limits, this.counters, call);
  }

  /** The 429's headers: they describe the last active limit evaluated, whichever it is. */
  rateLimitHeaders(evaluation: Evaluation<LimitRecord>): CallOutcome['headers'] {
    if (!evaluation.last) {
      return undefined;
    }
    const { limit, key } = evaluation.last;
    return {
      limit: limit.rate,
      remaining: this.counters.remaining(key, limit.rate),
      retryAfter: this.counters.availableIn(key),
    };
  }

  /** A simulated call (`POST /_sim/calls`): a JWT user of the simulator's app, or an API-key-only call. */
  recordCall(call: SimCall): CallOutcome {
    const session = call.userId !== undefined && call.auth !== 'apiKey';
    const evaluation = this.evaluate({
      userId: session ? call.userId : undefined,
      roleId: session ? this.userRoles.get(call.userId!) : undefined,
      auth: session ? 'session' : 'apiKey',
      serviceId: this.serviceByName(call.service)?.id as number | undefined,
      resource: call.endpoint ?? '',
      method: (call.verb ?? 'GET').toUpperCase(),
    });
    if (evaluation.refused.length === 0) {
      return { status: 200, exceeded: [] };
    }
    return {
      status: 429,
      exceeded: evaluation.refused.map((l) => l.id),
      headers: this.rateLimitHeaders(evaluation),
    };
  }

  periodSeconds(limit: LimitRecord): number {
    return PERIODS[limit.period].seconds;
  }
}

/** A limit row as GET list answers it: period by name. */
export function limitWithPeriodName(limit: LimitRecord): Row {
  return { ...limit, period: PERIODS[limit.period].name };
}
