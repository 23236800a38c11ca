/**
 * `system/limit` and `system/limit_cache` as df-limits answers them: create with 200 and ids only, the by-id period
 * quirk (minute stays 0), updates merged into the stored record, deletes clearing counters first, and the limit
 * store's reads, resets and flush with their batch errors.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DfError, NO_RECORDS, batchError, notFound } from './errors';
import { unwrap, wrapHeader } from './directory-routes';
import { listResponse, selectFields, shapeList, type Query, type Row } from './list-query';
import { filterBool } from './php';
import { LIMIT_TABLE, limitWithPeriodName, type LimitRecord, type SimStore } from './store';
import type { SimContext } from './server';

const related = (query: Query) =>
  new Set(
    (query.related ?? '')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean)
  );

/** `related=` on limits, including df-limits' pseudo relation limit_cache_by_limit_id. */
function decorator(store: SimStore, query: Query) {
  const wanted = related(query);
  const byId = (rows: Row[], id: unknown) => rows.find((row) => row.id === id) ?? null;
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
}

/**
 * The limit store's multi-id reads and resets: each id in turn (PHP's int cast for `?ids=`, the value as sent for a
 * body record); an unknown id fails the batch, which stops there unless `continue=true` (the ones before it are
 * already reset). A body record without an id resets nothing and reports an empty wrapped list.
 */
function eachLimit(
  store: SimStore,
  ids: unknown[],
  query: Query,
  apply: (limit: LimitRecord) => unknown[],
  verb: string
): unknown[] {
  const outcomes: unknown[] = [];
  let failed = false;
  for (const id of ids) {
    if (id === undefined || id === null) {
      outcomes.push({ resource: [] });
      continue;
    }
    const limit = store.limits.find((l) => String(l.id) === String(id));
    if (limit) {
      outcomes.push(...apply(limit));
      continue;
    }
    failed = true;
    outcomes.push(notFound(String(id)));
    if (!filterBool(query.continue)) {
      break;
    }
  }
  if (failed) {
    throw batchError(`Batch Error: Not all requested records could be ${verb}.`, outcomes);
  }
  return outcomes;
}

const intIds = (ids: string) => ids.split(',').map((id) => Number.parseInt(id, 10) || 0);

function limitCacheRoutes(app: FastifyInstance, store: SimStore): void {
  const path = '/api/v2/system/limit_cache';
  const shaped = (request: FastifyRequest, records: unknown[]) =>
    shapeList(records, { query: request.query as Query, wrapHeader: wrapHeader(request) });

  app.get(path, async (request) => {
    const query = request.query as Query;
    const entries = query.ids
      ? eachLimit(store, intIds(query.ids), query, (l) => store.cacheEntries(l), 'retrieved')
      : store.limits.flatMap((l) => store.cacheEntries(l));
    return shaped(request, entries);
  });

  app.get<{ Params: { id: string } }>(`${path}/:id`, async (request) => {
    const entry = store.cacheEntries(store.limit(request.params.id))[0];
    if (!entry) {
      throw notFound(request.params.id);
    }
    return entry;
  });

  const reset = (limit: LimitRecord) => {
    store.clearCounters(limit);
    return [{ id: limit.id }];
  };

  app.delete<{ Params: { id: string } }>(`${path}/:id`, async (request) => {
    if (filterBool((request.query as Query).allow_delete)) {
      store.flushCounters();
      return { success: true };
    }
    const limit = store.limit(request.params.id);
    store.clearCounters(limit);
    return { id: limit.id };
  });

  app.delete(path, async (request) => {
    const query = request.query as Query;
    // allow_delete=true empties the whole limit store (every limit, every user; with redis its whole database).
    if (filterBool(query.allow_delete)) {
      store.flushCounters();
      return { success: true };
    }
    if (query.ids) {
      return shaped(request, eachLimit(store, intIds(query.ids), query, reset, 'deleted'));
    }
    const records = unwrap(request.body);
    if (records.length > 0) {
      const ids = records.map((record) => (typeof record === 'object' ? record.id : undefined));
      return shaped(request, eachLimit(store, ids, query, reset, 'deleted'));
    }
    throw new DfError(400, NO_RECORDS);
  });
}

function limitRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { store } = ctx;
  const path = '/api/v2/system/limit';
  /** What a write answers: ids only, unless `fields` asks for more (period then by name). */
  const written = (query: Query, limit: LimitRecord): Row =>
    query.fields
      ? decorator(store, query)(selectFields(limitWithPeriodName(limit), query.fields), limit)
      : { id: limit.id };
  const shaped = (request: FastifyRequest, limits: LimitRecord[]) =>
    shapeList(
      limits.map((l) => written(request.query as Query, l)),
      { query: request.query as Query, wrapHeader: wrapHeader(request) }
    );

  app.get(path, async (request) => {
    const query = request.query as Query;
    return listResponse(store.limits.map(limitWithPeriodName), query, LIMIT_TABLE, {
      maxRecords: ctx.maxRecordsReturned,
      wrapHeader: wrapHeader(request),
      decorate: decorator(store, query),
    });
  });

  app.get<{ Params: { id: string } }>(`${path}/:id`, async (request) => {
    const limit = store.limit(request.params.id);
    // Quirk kept on purpose: df-limits converts the period only when it is not empty(), so minute (0) stays 0.
    const row = limit.period === 0 ? { ...limit } : limitWithPeriodName(limit);
    const query = request.query as Query;
    // Real relations work by id; the limit_cache pseudo relation does not (df-limits only adds it to lists).
    const relations = (query.related ?? '').replace('limit_cache_by_limit_id', '');
    return decorator(store, { ...query, related: relations })(selectFields(row, query.fields), limit);
  });

  app.post(path, async (request) => {
    const records = unwrap(request.body);
    if (records.length === 0) {
      throw new DfError(400, NO_RECORDS);
    }
    return shaped(request, store.createLimits(records));
  });

  const update = async (request: FastifyRequest<{ Params: { id?: string } }>) => {
    const query = request.query as Query;
    if (request.params.id) {
      if (!request.body || typeof request.body !== 'object' || Array.isArray(request.body)) {
        throw new DfError(400, NO_RECORDS);
      }
      // df-limits answers an unknown id here with HTTP 400 carrying code 404 (and PHP's int cast of the id).
      if (!store.limits.some((l) => String(l.id) === request.params.id)) {
        const id = Number.parseInt(request.params.id, 10) || 0;
        throw new DfError(400, `Record with identifier '${id}' not found.`, 404);
      }
      return written(query, store.updateLimit(request.params.id, request.body as Row));
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
      .map(({ id, patch }) => store.updateLimit(id, patch));
    return shaped(request, updated);
  };
  app.patch(path, update);
  app.put(path, update);
  app.patch(`${path}/:id`, update);
  app.put(`${path}/:id`, update);

  app.delete<{ Params: { id: string } }>(`${path}/:id`, async (request) => ({
    id: store.deleteLimit(request.params.id),
  }));

  app.delete(path, async (request) => {
    const query = request.query as Query;
    const ids = query.ids
      ? query.ids.split(',').map((id) => id.trim())
      : unwrap(request.body).map((record) => String(typeof record === 'object' ? record.id : record));
    if (ids.length === 0) {
      throw new DfError(400, NO_RECORDS);
    }
    const known = new Set(store.limits.map((l) => String(l.id)));
    if (ids.some((id) => !known.has(id))) {
      const outcomes = ids.map((id) => (known.has(id) ? { id: Number(id) } : notFound(id)));
      throw batchError('Batch Error: Not all requested records could be deleted.', outcomes);
    }
    return shaped(
      request,
      ids.map((id) => {
        const limit = store.limit(id);
        store.deleteLimit(id);
        return limit;
      })
    );
  });
}

export function limitsRoutes(app: FastifyInstance, ctx: SimContext): void {
  limitRoutes(app, ctx);
  limitCacheRoutes(app, ctx.store);
}
