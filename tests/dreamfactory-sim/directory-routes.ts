/**
 * `system/user`, `system/admin`, `system/role`, `system/service` (list, by id, create, delete) and the two logins,
 * `POST system/admin/session` and `POST user/session`, answering with DreamFactory's session info and a JWT.
 */
import { hostname } from 'node:os';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DfError, NO_RECORDS, batchError, notFound } from './errors';
import { JWT_TTL_SECONDS, mintSessionToken } from './jwt';
import { listResponse, parseFilter, selectFields, shapeList, type Query, type Row, type Table } from './list-query';
import { ADMIN_TABLE, ROLE_TABLE, SERVICE_TABLE, USER_TABLE, sqlDate, type SimStore } from './store';
import type { SimContext } from './server';

type Kind = 'user' | 'admin' | 'role' | 'service';

/** ResourcesWrapper::unwrapResources as the simulator accepts it: `{resource:[...]}`, a bare list, or one record. */
export function unwrap(body: unknown): Row[] {
  if (Array.isArray(body)) {
    return body as Row[];
  }
  if (body && typeof body === 'object') {
    const wrapped = (body as { resource?: unknown }).resource;
    return Array.isArray(wrapped) ? (wrapped as Row[]) : [body as Row];
  }
  return [];
}

export const wrapHeader = (request: FastifyRequest) => {
  const value = request.headers.wrap;
  return Array.isArray(value) ? value[0] : value;
};

const TABLES: Record<Kind, Table> = { user: USER_TABLE, admin: ADMIN_TABLE, role: ROLE_TABLE, service: SERVICE_TABLE };

function rowsOf(store: SimStore, kind: Kind): Row[] {
  switch (kind) {
    case 'user':
      return store.nonAdmins();
    case 'admin':
      return store.adminUsers();
    case 'role':
      return store.roles;
    case 'service':
      return store.services;
  }
}

/** BaseSystemResource's DELETE: by id, `?ids=`, a body list, or `?filter=`; a missing id fails the batch. */
function deleteMany(store: SimStore, kind: Kind, request: FastifyRequest): Row[] {
  const query = request.query as Query;
  let ids: string[];
  if (query.ids) {
    ids = query.ids.split(',').map((id) => id.trim());
  } else if (unwrap(request.body).length > 0) {
    ids = unwrap(request.body).map((record) => String(record.id));
  } else if (query.filter) {
    const matches = parseFilter(query.filter, new Set(TABLES[kind].columns.map((c) => c.name)));
    ids = rowsOf(store, kind)
      .filter(matches)
      .map((r) => String(r.id));
  } else {
    throw new DfError(400, 'No filter or records given for delete request.');
  }
  const known = new Set(rowsOf(store, kind).map((r) => String(r.id)));
  if (ids.some((id) => !known.has(id))) {
    const outcomes = ids.map((id) => (known.has(id) ? { id: Number(id) } : notFound(id)));
    throw batchError('Batch Error: Not all requested records could be deleted.', outcomes);
  }
  return ids.map((id) => store.remove(kind, id));
}

function tableRoutes(app: FastifyInstance, ctx: SimContext, kind: Kind): void {
  const { store } = ctx;
  const path = `/api/v2/system/${kind}`;
  const table = TABLES[kind];
  const written = (request: FastifyRequest, rows: Row[]) => {
    const fields = (request.query as Query).fields;
    return rows.map((row) => (fields ? selectFields(row, fields) : { id: row.id }));
  };
  const shaped = (request: FastifyRequest, rows: Row[]) =>
    shapeList(written(request, rows), { query: request.query as Query, wrapHeader: wrapHeader(request) });

  app.get(path, async (request) =>
    listResponse(rowsOf(store, kind), request.query as Query, table, {
      maxRecords: ctx.maxRecordsReturned,
      wrapHeader: wrapHeader(request),
    })
  );
  app.get<{ Params: { id: string } }>(`${path}/:id`, async (request) =>
    selectFields(store.find(kind, request.params.id), (request.query as Query).fields)
  );
  app.post(path, async (request, reply: FastifyReply) => {
    const records = unwrap(request.body);
    if (records.length === 0) {
      throw new DfError(400, NO_RECORDS);
    }
    reply.code(201);
    return shaped(request, store.create(kind, records));
  });
  app.delete<{ Params: { id: string } }>(
    `${path}/:id`,
    async (request) => written(request, [store.remove(kind, request.params.id)])[0]
  );
  app.delete(path, async (request) => shaped(request, deleteMany(store, kind, request)));
}

/** DreamFactory's login: session info, the role the app gives a non-admin, and a JWT with its claims. */
function sessionRoutes(app: FastifyInstance, ctx: SimContext): void {
  const login = (admin: boolean) => async (request: FastifyRequest) => {
    const body = (request.body ?? {}) as Row;
    if (!body.email) {
      throw new DfError(400, 'Login request is missing required email.');
    }
    if (!body.password) {
      throw new DfError(400, 'Login request is missing required password.');
    }
    const user = ctx.store.authenticate(body.email, body.password, admin);
    if (!user) {
      throw new DfError(401, 'Invalid credentials supplied.');
    }
    const nowSeconds = Math.floor(ctx.store.now() / 1000);
    user.last_login_date = sqlDate(nowSeconds * 1000);
    const issuer = `${ctx.url()}${request.url.split('?')[0]}`;
    const token = await mintSessionToken(ctx.jwtSecret, user, issuer, nowSeconds);
    const session: Row = {
      session_token: token,
      session_id: token,
      id: user.id,
      name: user.name,
      first_name: user.first_name,
      last_name: user.last_name,
      email: user.email,
      is_sys_admin: admin,
      last_login_date: user.last_login_date,
      host: hostname(),
      token_expiry_date: sqlDate((nowSeconds + JWT_TTL_SECONDS) * 1000),
    };
    const apiKey = request.headers['x-dreamfactory-api-key'] ?? (request.query as Query).api_key;
    const roleId = ctx.store.userRoles.get(user.id);
    const role = ctx.store.roles.find((r) => r.id === roleId);
    if (!admin && apiKey === ctx.apiKey && role) {
      session.role = role.name;
      session.role_id = role.id;
    }
    return session;
  };
  app.post('/api/v2/system/admin/session', login(true));
  app.post('/api/v2/user/session', login(false));
}

export function directoryRoutes(app: FastifyInstance, ctx: SimContext): void {
  (['user', 'admin', 'role', 'service'] as const).forEach((kind) => tableRoutes(app, ctx, kind));
  sessionRoutes(app, ctx);
}
