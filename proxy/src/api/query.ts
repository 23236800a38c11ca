/**
 * The datasource's backend: `POST /api/query`, `GET /api/variables/:kind` (template variables) and
 * `GET /api/datasource-health` (the datasource's Save & test). Registered under /api, so the token check applies.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  VARIABLE_DIMENSIONS,
  VARIABLE_KINDS,
  type DatasourceHealthResponse,
  type UpstreamHealth,
  type VariableKind,
  type VariableValue,
  type VariableValuesResponse,
} from '@shared/datasource-api';
import { ANONYMOUS_USER_LABEL, ANONYMOUS_USER_VALUE, type QueryResult } from '@shared/query';
import type { ProxyContext } from '../context';
import { TimeRange, buildValuesSearch, parseRange, QueryInputError } from '../query/builder';
import { describeUser } from '../query/enrich';
import { describeError } from '../query/errors';
import { DIMENSION_FIELDS, MISSING_KEYWORD, TIMESTAMP_FIELD } from '../query/fields';
import { QueryEngine } from '../query/run';
import { totalHits } from '../query/shaper';
import { parseQuery, requestEnvelopeSchema, toQueryRequest } from '../query/validate';

const MAX_VARIABLE_VALUES = 10000;

export function queryApi(ctx: ProxyContext, engine = new QueryEngine(ctx)): FastifyPluginAsync {
  return async (api) => {
    api.post('/query', async (request, reply) => {
      const envelope = requestEnvelopeSchema.safeParse(request.body);
      if (!envelope.success) {
        return reply.code(400).send({ error: `Invalid query request: ${z.prettifyError(envelope.error).replace(/\n/g, '; ')}` });
      }
      const parsed = envelope.data.queries.map(parseQuery);
      const invalid: Record<string, QueryResult> = {};
      for (const p of parsed) {
        if (!p.ok) {
          invalid[p.refId] = { frames: [], error: p.error };
        }
      }
      const valid = parsed.flatMap((p) => (p.ok ? [p.query] : []));
      const answered = valid.length > 0 ? await engine.run(toQueryRequest(envelope.data, valid)) : { results: {} };
      return { results: { ...answered.results, ...invalid } };
    });

    api.get<{ Params: { kind: string }; Querystring: { from?: string; to?: string } }>('/variables/:kind', async (request, reply) => {
      const kind = VARIABLE_KINDS.find((known) => known === request.params.kind);
      if (!kind) {
        return reply.code(404).send({ error: `Unknown variable kind "${request.params.kind}"; use ${VARIABLE_KINDS.join(', ')}.` });
      }
      try {
        const range = variableRange(request.query.from, request.query.to);
        return { values: await variableValues(ctx, engine, kind, range) } satisfies VariableValuesResponse;
      } catch (err) {
        const { message, expected } = describeError(err, ctx.config.elasticsearch.urls);
        return reply.code(expected && err instanceof QueryInputError ? 400 : 502).send({ error: message });
      }
    });

    api.get('/datasource-health', async (_request, reply) => {
      const [elasticsearch, dreamfactory] = await Promise.all([esHealth(ctx, engine), dfHealth(ctx)]);
      // 503 with the full report when an upstream is down, so monitors see it and the editor can still show each part.
      const report: DatasourceHealthResponse = { proxy: { ok: true, version: ctx.version }, elasticsearch, dreamfactory };
      return reply.code(elasticsearch.ok && dreamfactory.ok ? 200 : 503).send(report);
    });
  };
}

/** Grafana sends ranges as epoch ms (`${__from}`) or ISO; no range means all time. */
function variableRange(from: string | undefined, to: string | undefined): TimeRange | undefined {
  if (!from && !to) {
    return undefined;
  }
  const iso = (value: string | undefined, fallback: number) =>
    value === undefined || value === '' ? new Date(fallback).toISOString() : /^\d+$/.test(value) ? new Date(Number(value)).toISOString() : value;
  return parseRange({ from: iso(from, 0), to: iso(to, Date.now()) });
}

async function variableValues(
  ctx: ProxyContext,
  engine: QueryEngine,
  kind: VariableKind,
  range: TimeRange | undefined
): Promise<VariableValue[]> {
  const dimension = VARIABLE_DIMENSIONS[kind];
  const isUser = dimension === 'user';
  const body = buildValuesSearch(range, DIMENSION_FIELDS[dimension].field, MAX_VARIABLE_VALUES, isUser ? MISSING_KEYWORD : undefined);
  const response = await ctx.es.search(engine.indexPattern, body);
  const keys = ((response.aggregations?.values as { buckets: Array<{ key: string | number }> } | undefined)?.buckets ?? []).map((b) => String(b.key));
  if (!isUser) {
    return keys.map((key) => ({ text: key, value: key }));
  }
  const { snapshot } = await engine.directory.read();
  return keys
    .map((key) => (key === MISSING_KEYWORD ? { text: ANONYMOUS_USER_LABEL, value: ANONYMOUS_USER_VALUE } : { text: describeUser(key, snapshot).label ?? key, value: key }))
    .sort((a, b) => a.text.localeCompare(b.text));
}

async function esHealth(ctx: ProxyContext, engine: QueryEngine): Promise<UpstreamHealth> {
  try {
    const info = await ctx.es.info();
    const response = await ctx.es.search(engine.indexPattern, {
      size: 0,
      track_total_hits: true,
      aggs: { newest: { max: { field: TIMESTAMP_FIELD } } },
    });
    const total = totalHits(response);
    const newest = (response.aggregations?.newest as { value_as_string?: string } | undefined)?.value_as_string;
    const data = total > 0 ? `${total.toLocaleString('en-US')} events in ${engine.indexPattern}, newest ${newest}` : `no events in ${engine.indexPattern} yet (is DreamFactory logging to the proxy?)`;
    return { ok: true, version: info.version, message: `Elasticsearch ${info.version}: ${data}.` };
  } catch (err) {
    return { ok: false, message: describeError(err, ctx.config.elasticsearch.urls).message };
  }
}

async function dfHealth(ctx: ProxyContext): Promise<UpstreamHealth> {
  try {
    const page = await ctx.df.get<{ meta?: { count?: number } }>('system/user', { fields: 'id', limit: 1, include_count: true });
    return { ok: true, message: `DreamFactory answered: ${page.meta?.count ?? 0} non-admin users.` };
  } catch (err) {
    return { ok: false, message: describeError(err, ctx.config.elasticsearch.urls).message };
  }
}
