/**
 * The datasource's backend: `POST /api/query`, `GET /api/variables/:kind` (template variables) and
 * `GET /api/datasource-health` (the datasource's Save & test). Registered under /api, so the token check applies.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { VARIABLE_KINDS, type DatasourceHealthResponse, type VariableValuesResponse } from '@shared/datasource-api';
import { QueryInputError } from '../query/builder';
import type { QueryEngine } from '../query/run';
import { requestEnvelopeSchema } from '../query/validate';
import { parseVariableRange } from '../query/variables';

export interface QueryApiDeps {
  engine: Pick<QueryEngine, 'answer' | 'variableValues' | 'health' | 'explainFailure'>;
  version: string;
}

export function queryApi({ engine, version }: QueryApiDeps): FastifyPluginAsync {
  return async (api) => {
    api.post('/query', async (request, reply) => {
      const envelope = requestEnvelopeSchema.safeParse(request.body);
      if (!envelope.success) {
        return reply.code(400).send({ error: `Invalid query request: ${z.prettifyError(envelope.error).replace(/\n/g, '; ')}` });
      }
      return engine.answer(envelope.data);
    });

    api.get<{ Params: { kind: string }; Querystring: { from?: string; to?: string } }>('/variables/:kind', async (request, reply) => {
      const kind = VARIABLE_KINDS.find((known) => known === request.params.kind);
      if (!kind) {
        return reply.code(404).send({ error: `Unknown variable kind "${request.params.kind}"; use ${VARIABLE_KINDS.join(', ')}.` });
      }
      try {
        const range = parseVariableRange(request.query.from, request.query.to);
        return { values: await engine.variableValues(kind, range) } satisfies VariableValuesResponse;
      } catch (err) {
        const { message } = engine.explainFailure(err);
        return reply.code(err instanceof QueryInputError ? 400 : 502).send({ error: message });
      }
    });

    api.get('/datasource-health', async (_request, reply) => {
      const upstreams = await engine.health();
      const report: DatasourceHealthResponse = { proxy: { ok: true, version }, ...upstreams };
      // 503 with the full report when an upstream is down, so monitors see it and the editor can still show each part.
      return reply.code(upstreams.elasticsearch.ok && upstreams.dreamfactory.ok ? 200 : 503).send(report);
    });
  };
}
