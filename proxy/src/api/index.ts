import type { FastifyInstance } from 'fastify';
import { requireToken } from './auth';
import { limitsApi, type LimitsApiDeps } from './limits';
import { queryApi, type QueryApiDeps } from './query';
import { statusApi } from './status';
import type { Operations } from '../status/operations';

export interface ApiDeps {
  /** The token every /api call must carry; without one, /api answers 503. */
  apiToken: string | undefined;
  query: QueryApiDeps;
  limits: LimitsApiDeps;
  operations: Pick<Operations, 'status' | 'startSetup' | 'startDoctor' | 'run'>;
}

/** Everything under /api: token-protected. Each feature registers its routes here as a Fastify plugin given its parts. */
export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await app.register(
    async (api) => {
      api.addHook('onRequest', requireToken(deps.apiToken));
      api.get('/ping', async () => ({ ok: true }));
      await api.register(queryApi(deps.query));
      await api.register(limitsApi(deps.limits));
      await api.register(statusApi(deps.operations));
    },
    { prefix: '/api' }
  );
}
