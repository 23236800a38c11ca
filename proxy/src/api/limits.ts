/**
 * The limit relay (`/api/limits`, `/api/limit-counters`, `/api/directory/*`): the app pages' validated door to
 * DreamFactory's system/limit and system/limit_cache. Every non-2xx answer is a RelayError saying who refused.
 */
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { WRITE_GRANT_HEADER, WRITE_GRANTS } from '@shared/headers';
import type { LimitCandidate } from '@shared/limits';
import { BULK_ACTIONS, DIRECTORY_KINDS, USER_ID_WILDCARD, type LimitInput, type RelayError } from '@shared/limits-api';
import { DreamFactoryError, type DreamFactoryClient } from '../clients/dreamfactory';
import type { Config } from '../config';
import {
  LimitValidationFailure,
  bulk,
  createLimit,
  deleteLimit,
  directory,
  flushCounters,
  getLimit,
  listCounters,
  listLimits,
  resetCounter,
  updateLimit,
} from '../dreamfactory/limits';

/** A relay answer other than 2xx. */
class RelayFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: RelayError
  ) {
    super(body.error);
  }
}

const id = z.coerce.number().int().positive();
const idParams = z.object({ id });

/**
 * Types only: DreamFactory's own rules (required fields, known type/period, integer rate, ids per type) are checked by
 * validateLimit so the form gets DreamFactory's exact messages.
 */
const limitFields = {
  name: z.string(),
  description: z.string().nullable(),
  type: z.string(),
  rate: z.union([z.number(), z.string()]),
  period: z.union([z.string(), z.number().int()]),
  user_id: z.union([z.number().int(), z.literal(USER_ID_WILDCARD)]).nullable(),
  role_id: z.number().int().nullable(),
  service_id: z.number().int().nullable(),
  endpoint: z.string().nullable(),
  verb: z.string().nullable(),
  is_active: z.boolean(),
} satisfies Record<keyof LimitInput, z.ZodType>;
const limitPatch = z.object(limitFields).partial().strict() satisfies z.ZodType<LimitCandidate>;
const bulkBody = z.object({ action: z.enum(BULK_ACTIONS), ids: z.array(id).min(1).max(1000) }).strict();
const countersQuery = z.object({ limitId: id.optional() });
const flushQuery = z.object({ all: z.literal('true') });
const directoryParams = z.object({ kind: z.enum(DIRECTORY_KINDS) });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.join('.');
    const field = path in limitFields ? (path as keyof LimitInput) : undefined;
    throw new RelayFailure(400, {
      error: `Invalid ${what}: ${path ? `${path}: ` : ''}${issue.message}`,
      field,
      source: 'validation',
    });
  }
  return result.data;
}

/** Our own checks, DreamFactory's refusals and an unreachable DreamFactory, each as a RelayError. */
function toRelayFailure(err: unknown, credentialSettings: string): RelayFailure | undefined {
  if (err instanceof RelayFailure) {
    return err;
  }
  if (err instanceof LimitValidationFailure) {
    return new RelayFailure(400, { error: err.detail.message, field: err.detail.field, source: 'validation' });
  }
  if (err instanceof DreamFactoryError && err.unreachable) {
    return new RelayFailure(502, {
      error: `DreamFactory could not be reached, nothing was changed. ${err.message}`,
      source: 'unreachable',
    });
  }
  if (err instanceof DreamFactoryError && err.credentialsRefused) {
    // Relayed as they are, DreamFactory's 401 would mean "wrong proxy token" to Grafana, which replaces it with its own
    // 400 and drops this body (docs/grafana.md), and its 400 would blame the limit being saved: DreamFactory refusing
    // the proxy's own credentials is a bad gateway.
    return new RelayFailure(502, {
      error: `DreamFactory refused the proxy's credentials (${credentialSettings}): ${err.message}`,
      source: 'dreamfactory',
      dfCode: err.body.code,
      dfContext: err.body.context,
    });
  }
  if (err instanceof DreamFactoryError) {
    return new RelayFailure(err.status, {
      error: err.message,
      source: 'dreamfactory',
      dfCode: err.body.code,
      dfContext: err.body.context,
    });
  }
  return undefined;
}

export interface LimitsApiDeps {
  df: DreamFactoryClient;
  /** Whether Grafana Editors may write (their routes send the `editor` grant). */
  limitWriteRole: Config['limitWriteRole'];
}

export function limitsApi({ df, limitWriteRole }: LimitsApiDeps): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    // Browsers and Grafana's fetch may label a body-less DELETE as JSON; an empty body is "no body" here, not an error.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, body === '' ? undefined : JSON.parse(body as string));
      } catch (err) {
        done(Object.assign(new Error(`Invalid JSON body: ${(err as Error).message}`), { statusCode: 400 }), undefined);
      }
    });
    app.setErrorHandler((err: FastifyError, request, reply) => {
      const failure = toRelayFailure(err, df.credentialSettings);
      if (failure) {
        request.log.info(
          { status: failure.status, source: failure.body.source, error: failure.body.error },
          'limit relay refused'
        );
        return reply.code(failure.status).send(failure.body);
      }
      if (err.statusCode && err.statusCode < 500) {
        return reply.code(err.statusCode).send({ error: err.message, source: 'validation' } satisfies RelayError);
      }
      request.log.error({ err }, 'limit relay failed');
      return reply.code(500).send({
        error: 'The proxy failed to relay this request; see its log.',
        source: 'dreamfactory',
      } satisfies RelayError);
    });

    /** Editors may change limits only when the proxy is configured to let them (limitWriteRole = Editor). */
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.method === 'GET' || request.method === 'HEAD') {
        return;
      }
      const grant = request.headers[WRITE_GRANT_HEADER];
      const allowed =
        grant === undefined ||
        grant === WRITE_GRANTS.admin ||
        (grant === WRITE_GRANTS.editor && limitWriteRole === 'Editor');
      if (!allowed) {
        const error =
          grant === WRITE_GRANTS.editor
            ? 'Changing limits needs the Grafana Admin role here (the proxy has LIMIT_WRITE_ROLE=Admin).'
            : `Unknown ${WRITE_GRANT_HEADER} "${String(grant)}".`;
        return reply.code(403).send({ error, source: 'permission' } satisfies RelayError);
      }
    });

    app.get('/limits', async () => ({ limits: await listLimits(df) }));
    app.get('/limits/:id', async (request) => getLimit(df, parse(idParams, request.params, 'limit id').id));

    app.post('/limits', async (request, reply) => {
      return reply.code(201).send(await createLimit(df, parse(limitPatch, request.body, 'limit')));
    });

    app.patch('/limits/:id', async (request) => {
      const { id: limitId } = parse(idParams, request.params, 'limit id');
      return updateLimit(df, limitId, parse(limitPatch, request.body, 'limit change'));
    });

    app.delete('/limits/:id', async (request) => deleteLimit(df, parse(idParams, request.params, 'limit id').id));

    app.post('/limits/bulk', async (request) => bulk(df, parse(bulkBody, request.body, 'bulk request')));

    app.get('/limit-counters', async (request) => ({
      counters: await listCounters(df, parse(countersQuery, request.query, 'query').limitId),
    }));

    app.delete('/limit-counters/:id', async (request) =>
      resetCounter(df, parse(idParams, request.params, 'limit id').id)
    );

    app.delete('/limit-counters', async (request) => {
      const query = flushQuery.safeParse(request.query);
      if (!query.success) {
        throw new RelayFailure(400, {
          error:
            "Flushing every counter needs ?all=true (it empties DreamFactory's whole limit store); to reset one limit use DELETE /api/limit-counters/:limitId.",
          source: 'validation',
        });
      }
      return flushCounters(df);
    });

    app.get('/directory/:kind', async (request) => {
      const { kind } = parse(directoryParams, request.params, 'directory');
      return { entries: await directory(df, kind) };
    });
  };
}
