import type { FastifyInstance } from 'fastify';
import type { ProxyContext } from '../context';
import { requireToken } from './auth';
import { limitsApi } from './limits';
import { queryApi } from './query';
import { statusApi } from './status';

/**
 * Everything under /api: token-protected, and every answer passes the redactor on its way out (stored documents a
 * query returns, errors quoting upstream messages, status and doctor reports). Each feature registers its routes here
 * as a Fastify plugin taking the proxy context.
 */
export async function registerApi(app: FastifyInstance, ctx: ProxyContext): Promise<void> {
  await app.register(
    async (api) => {
      api.addHook('onRequest', requireToken(ctx.config.apiToken));
      api.addHook('onSend', async (_request, _reply, payload) => (typeof payload === 'string' ? ctx.redactor.redactString(payload) : payload));
      api.get('/ping', async () => ({ ok: true }));
      await api.register(queryApi(ctx));
      await api.register(limitsApi(ctx));
      await api.register(statusApi(ctx));
    },
    { prefix: '/api' }
  );
}
