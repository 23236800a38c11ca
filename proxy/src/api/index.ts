import type { FastifyInstance } from 'fastify';
import { requireToken } from './auth';
import { limitsApi, type LimitsApiDeps } from './limits';
import { queryApi, type QueryApiDeps } from './query';
import { statusApi } from './status';
import type { Redactor } from '../redaction';
import type { Operations } from '../status/operations';

export interface ApiDeps {
  /** The token every /api call must carry; without one, /api answers 503. */
  apiToken: string | undefined;
  /** Every answer passes it on its way out. */
  redactor: Pick<Redactor, 'redactString'>;
  query: QueryApiDeps;
  limits: LimitsApiDeps;
  operations: Pick<Operations, 'status' | 'startSetup' | 'startDoctor' | 'run'>;
}

/**
 * Everything under /api: token-protected, and every answer passes the redactor on its way out (stored documents a
 * query returns, errors quoting upstream messages, status and doctor reports). Each feature registers its routes here
 * as a Fastify plugin given its parts.
 */
export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await app.register(
    async (api) => {
      api.addHook('onRequest', requireToken(deps.apiToken));
      api.addHook('onSend', async (_request, _reply, payload) => (typeof payload === 'string' ? deps.redactor.redactString(payload) : payload));
      api.get('/ping', async () => ({ ok: true }));
      await api.register(queryApi(deps.query));
      await api.register(limitsApi(deps.limits));
      await api.register(statusApi(deps.operations));
    },
    { prefix: '/api' }
  );
}
