/**
 * A DreamFactory stand-in for tests and demos: the parts of `/api/v2/system/*` the product uses (users, admins, roles,
 * services, limits, limit_cache), answering with DreamFactory's shapes, status codes, messages and quirks
 * (dreamfactory-contract §2–§4). Every request is recorded so tests can prove what did or did not reach "DreamFactory".
 *
 * Calls to any other service (`/api/v2/db/_table/x`, ...) answer an empty list and count against the limits like
 * df.evaluate_limits (429 with DreamFactory's body and headers). Not part of DreamFactory: `POST /_sim/calls` counts
 * simulated calls in bulk (for the demo traffic generator and counter tests).
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { LimitCandidate } from '@shared/limits';
import { DfError, NO_RECORDS, notFound } from './errors';
import { mintSessionToken, verifySessionToken } from './jwt';
import { listResponse, rowsByIds, selectFields, type Query, type Row } from './list-query';
import { serviceCallRoutes } from './service-calls';
import {
  LIMIT_FIELDS,
  ROLE_FIELDS,
  SERVICE_FIELDS,
  SimStore,
  USER_FIELDS,
  limitWithPeriodName,
  type LimitRecord,
  type SimCall,
  type StoreOptions,
} from './store';

export interface SimulatorOptions extends StoreOptions {
  port?: number;
  host?: string;
  apiKey?: string;
  jwtSecret?: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/api/v2/system/limit/3`. */
  path: string;
  query: Query;
  body: unknown;
  /** Status the simulator answered with (0 until it answers). */
  status: number;
}

export interface Simulator {
  url: string;
  apiKey: string;
  jwtSecret: string;
  store: SimStore;
  /** A DreamFactory session token (JWT) for this user, as login would issue. */
  mintToken(userId: number): Promise<string>;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const NO_CREDENTIALS =
  'No session token (JWT) or API Key detected in request. Please send in X-DreamFactory-Session-Token and/or ' +
  'X-DreamFactory-API-Key request header. You can also use URL query parameters session_token and/or api_key.';
const NO_SESSION =
  "No session token (JWT) provided. Please provide a valid JWT using X-DreamFactory-Session-Token request header or 'session_token' url query parameter.";
const FORBIDDEN = 'Access Forbidden. You do not have enough privileges to access this resource.';
const MAX_SIM_CALLS = 10000;

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Who a request is: a session user (JWT) or the app behind an API key. */
export interface Identity {
  userId?: number;
  auth: 'jwt' | 'apiKey';
}

/**
 * Session token first (Bearer, then the DreamFactory header, then the query), else the API key. System resources need
 * an admin session or the (admin-role) API key.
 */
async function authenticate(
  request: FastifyRequest,
  sim: { apiKey: string; jwtSecret: string; store: SimStore }
): Promise<Identity> {
  const query = request.query as Query;
  const bearer = header(request, 'authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
  const token = bearer ?? header(request, 'x-dreamfactory-session-token') ?? query.session_token;
  const apiKey = header(request, 'x-dreamfactory-api-key') ?? query.api_key;
  if (token) {
    const claims = await verifySessionToken(sim.jwtSecret, token);
    const user = sim.store.users.find((u) => u.id === claims.user_id && u.is_active);
    if (!user) {
      throw new DfError(401, 'Unauthorized. User is not authenticated.');
    }
    if (!sim.store.isAdmin(user.id) && request.url.startsWith('/api/v2/system/')) {
      throw new DfError(403, FORBIDDEN);
    }
    return { userId: user.id, auth: 'jwt' };
  }
  if (!apiKey) {
    throw new DfError(400, NO_CREDENTIALS);
  }
  if (apiKey !== sim.apiKey) {
    throw new DfError(400, NO_SESSION);
  }
  return { auth: 'apiKey' };
}

/** ResourcesWrapper::unwrapResources: `{resource:[...]}`, a bare list, or one record. */
function unwrap(body: unknown): Row[] {
  if (Array.isArray(body)) {
    return body as Row[];
  }
  if (body && typeof body === 'object') {
    const wrapped = (body as { resource?: unknown }).resource;
    return Array.isArray(wrapped) ? (wrapped as Row[]) : [body as Row];
  }
  return [];
}

const isTrue = (value: string | undefined) => value !== undefined && ['true', '1'].includes(value.toLowerCase());

function limitRoutes(app: FastifyInstance, store: SimStore): void {
  const related = (query: Query) =>
    new Set(
      (query.related ?? '')
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean)
    );
  const byId = (rows: Row[], id: unknown) => rows.find((row) => row.id === id) ?? null;
  /** `related=` on list answers, including df-limits' pseudo relation limit_cache_by_limit_id. */
  const decorate = (query: Query) => {
    const wanted = related(query);
    return (row: Row, source: Row) => {
      const limit = source as LimitRecord;
      const out = { ...row };
      if (wanted.has('user_by_user_id')) {
        out.user_by_user_id = byId(store.users, limit.user_id);
      }
      if (wanted.has('role_by_role_id')) {
        out.role_by_role_id = byId(store.roles, limit.role_id);
      }
      if (wanted.has('service_by_service_id')) {
        out.service_by_service_id = byId(store.services, limit.service_id);
      }
      if (wanted.has('limit_cache_by_limit_id')) {
        out.limit_cache_by_limit_id = store.cacheEntries(store.limit(limit.id));
      }
      return out;
    };
  };
  /** What a write answers: ids only, unless `fields` asks for more (period then by name). */
  const written = (query: Query, limit: LimitRecord): Row =>
    query.fields ? decorate(query)(selectFields(limitWithPeriodName(limit), query.fields), limit) : { id: limit.id };

  app.get('/api/v2/system/limit', async (request) => {
    const query = request.query as Query;
    return listResponse(store.limits.map(limitWithPeriodName), query, LIMIT_FIELDS, decorate(query));
  });

  app.get<{ Params: { id: string } }>('/api/v2/system/limit/:id', async (request) => {
    const limit = store.limit(request.params.id);
    // Quirk kept on purpose: df-limits converts the period only when it is not empty(), so minute (0) stays 0.
    const row = limit.period === 0 ? { ...limit } : limitWithPeriodName(limit);
    const query = request.query as Query;
    // Real relations work by id; the limit_cache pseudo relation does not (df-limits only adds it to lists).
    const relations = (query.related ?? '').replace('limit_cache_by_limit_id', '');
    return decorate({ ...query, related: relations })(selectFields(row, query.fields), limit);
  });

  app.post('/api/v2/system/limit', async (request) => {
    const records = unwrap(request.body);
    if (records.length === 0) {
      throw new DfError(400, NO_RECORDS);
    }
    const query = request.query as Query;
    return { resource: store.createLimits(records as LimitCandidate[]).map((l) => written(query, l)) };
  });

  const update = async (request: FastifyRequest<{ Params: { id?: string } }>) => {
    const query = request.query as Query;
    if (request.params.id) {
      if (!request.body || typeof request.body !== 'object' || Array.isArray(request.body)) {
        throw new DfError(400, NO_RECORDS);
      }
      // df-limits answers an unknown id here with HTTP 400 carrying code 404.
      const known = store.limits.some((l) => String(l.id) === request.params.id);
      if (!known) {
        throw new DfError(
          400,
          `Record with identifier '${Number.parseInt(request.params.id, 10) || 0}' not found.`,
          404
        );
      }
      return written(query, store.updateLimit(request.params.id, request.body as LimitCandidate));
    }
    const records = unwrap(request.body);
    if (records.length === 0) {
      throw new DfError(400, NO_RECORDS);
    }
    // ?ids= applies the one record to each id; otherwise each record names its id. Unknown ids are skipped.
    const targets = query.ids
      ? query.ids.split(',').map((id) => ({ id: id.trim(), patch: records[0] }))
      : records.map((record) => ({ id: String(record.id), patch: record }));
    const updated = targets
      .filter(({ id }) => store.limits.some((l) => String(l.id) === id))
      .map(({ id, patch }) => store.updateLimit(id, patch as LimitCandidate));
    return { resource: updated.map((l) => written(query, l)) };
  };
  app.patch('/api/v2/system/limit', update);
  app.put('/api/v2/system/limit', update);
  app.patch('/api/v2/system/limit/:id', update);
  app.put('/api/v2/system/limit/:id', update);

  app.delete<{ Params: { id: string } }>('/api/v2/system/limit/:id', async (request) => ({
    id: store.deleteLimit(request.params.id),
  }));

  app.delete('/api/v2/system/limit', async (request) => {
    const query = request.query as Query;
    const ids = query.ids
      ? query.ids.split(',').map((id) => id.trim())
      : unwrap(request.body).map((record) => String(typeof record === 'object' ? record.id : record));
    if (ids.length === 0) {
      throw new DfError(400, NO_RECORDS);
    }
    ids.forEach((id) => store.limit(id));
    return { resource: ids.map((id) => ({ id: store.deleteLimit(id) })) };
  });

  app.get('/api/v2/system/limit_cache', async (request) => {
    const query = request.query as Query;
    const limits = query.ids ? (rowsByIds(store.limits, query.ids) as LimitRecord[]) : store.limits;
    return { resource: limits.flatMap((l) => store.cacheEntries(l)) };
  });

  app.get<{ Params: { id: string } }>('/api/v2/system/limit_cache/:id', async (request) => {
    const entry = store.cacheEntries(store.limit(request.params.id))[0];
    if (!entry) {
      throw notFound(request.params.id);
    }
    return entry;
  });

  app.delete<{ Params: { id: string } }>('/api/v2/system/limit_cache/:id', async (request) => {
    const limit = store.limit(request.params.id);
    store.clearCounters(limit);
    return { id: limit.id };
  });

  app.delete('/api/v2/system/limit_cache', async (request) => {
    const query = request.query as Query;
    if (query.ids) {
      const limits = rowsByIds(store.limits, query.ids) as LimitRecord[];
      limits.forEach((l) => store.clearCounters(l));
      return { resource: limits.map((l) => ({ id: l.id })) };
    }
    if (isTrue(query.allow_delete) || isTrue(query.force)) {
      store.flushCounters();
      return { success: true };
    }
    throw new DfError(400, 'No record(s) detected in request.');
  });
}

function directoryRoutes(app: FastifyInstance, store: SimStore): void {
  const collections: Array<[string, () => Row[], ReadonlySet<string>]> = [
    ['user', () => store.nonAdmins(), USER_FIELDS],
    ['admin', () => store.adminUsers(), USER_FIELDS],
    ['role', () => store.roles, ROLE_FIELDS],
    ['service', () => store.services, SERVICE_FIELDS],
  ];
  for (const [name, rows, fields] of collections) {
    app.get(`/api/v2/system/${name}`, async (request) => listResponse(rows(), request.query as Query, fields));
    app.get<{ Params: { id: string } }>(`/api/v2/system/${name}/:id`, async (request) => {
      const row = rows().find((r) => String(r.id) === request.params.id);
      if (!row) {
        throw notFound(request.params.id);
      }
      return selectFields(row, (request.query as Query).fields);
    });
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const store = new SimStore(options);
  const apiKey = options.apiKey ?? randomBytes(32).toString('hex');
  const jwtSecret = options.jwtSecret ?? randomBytes(32).toString('base64');
  const requests: RecordedRequest[] = [];
  const app = Fastify({ logger: false });
  const recorded = new WeakMap<FastifyRequest, RecordedRequest>();
  const identities = new WeakMap<FastifyRequest, Identity>();

  app.addHook('onRequest', async (request) => {
    const entry: RecordedRequest = {
      method: request.method,
      path: request.url.split('?')[0],
      query: { ...(request.query as Query) },
      body: undefined,
      status: 0,
    };
    requests.push(entry);
    recorded.set(request, entry);
    if (entry.path.startsWith('/api/v2/')) {
      identities.set(request, await authenticate(request, { apiKey, jwtSecret, store }));
    }
  });
  app.addHook('preHandler', async (request) => {
    recorded.get(request)!.body = request.body;
  });
  app.addHook('onSend', async (request, reply) => {
    const entry = recorded.get(request);
    if (entry) {
      entry.status = reply.statusCode;
    }
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof DfError) {
      return reply.code(error.statusCode).send(error.toEnvelope());
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    // Non-DreamFactory exceptions carry only code and message.
    return reply.code(status).send({ error: { code: status, message: (error as Error).message } });
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new DfError(404, `Route '${request.url.split('?')[0]}' not found.`);
    return reply.code(404).send(error.toEnvelope());
  });

  directoryRoutes(app, store);
  limitRoutes(app, store);
  serviceCallRoutes(app, store, (request) => identities.get(request)!);

  app.post('/_sim/calls', async (request) => {
    const calls = (request.body as { calls?: SimCall[] } | undefined)?.calls;
    if (!Array.isArray(calls) || calls.length > MAX_SIM_CALLS) {
      throw new DfError(
        400,
        `Send {"calls":[{"service":"db","userId":3,"verb":"GET"}]} with at most ${MAX_SIM_CALLS} calls.`
      );
    }
    return { results: calls.map((call) => store.recordCall(call)) };
  });

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const url = address.replace('://localhost', '://127.0.0.1');
  return {
    url,
    apiKey,
    jwtSecret,
    store,
    requests,
    mintToken: async (userId) => {
      const user = store.users.find((u) => u.id === userId);
      if (!user) {
        throw new Error(`No user ${userId} in the simulator`);
      }
      const login = store.isAdmin(userId) ? 'system/admin/session' : 'user/session';
      return mintSessionToken(jwtSecret, user, `${url}/api/v2/${login}`);
    },
    close: () => app.close(),
  };
}
