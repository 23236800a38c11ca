/**
 * A DreamFactory stand-in for tests and demos, written from DreamFactory's behaviour and sharing no code with the
 * product it checks: `system/user`, `system/admin`, `system/role`, `system/service` (with writes, cascading to
 * limits), the two logins, `system/limit` and `system/limit_cache`, with DreamFactory's shapes, status codes, messages
 * and quirks, its page-size cap, and its access checks. Every `/api/v2` call passes DreamFactory's limit evaluation
 * (API-key calls too: they count against instance and service limits); calls to any other service answer an empty
 * list. Every request is recorded so tests can prove what did or did not reach "DreamFactory".
 *
 * Not part of DreamFactory: `POST /_sim/calls` counts simulated calls in bulk (demo traffic, counter tests).
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyRequest } from 'fastify';
import { authenticate, type Identity } from './access';
import { directoryRoutes } from './directory-routes';
import { DfError } from './errors';
import { mintSessionToken } from './jwt';
import { limitsRoutes } from './limit-routes';
import { DEFAULT_MAX_RECORDS, type Query } from './list-query';
import { limitExceeded, serviceCallRoutes } from './service-calls';
import { SimStore, type SimCall, type StoreOptions } from './store';

export interface SimulatorOptions extends StoreOptions {
  port?: number;
  host?: string;
  apiKey?: string;
  jwtSecret?: string;
  /** DreamFactory's `DB_MAX_RECORDS_RETURNED`: the largest page a list answers (default 100000, as shipped). */
  maxRecordsReturned?: number;
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
  /** The page-size cap in force; tests may change it between requests. */
  maxRecordsReturned: number;
  /** A DreamFactory session token (JWT) for this user, as login would issue. */
  mintToken(userId: number): Promise<string>;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** What the route modules read from the running simulator. */
export interface SimContext {
  store: SimStore;
  apiKey: string;
  jwtSecret: string;
  readonly maxRecordsReturned: number;
  url(): string;
}

const MAX_SIM_CALLS = 10000;

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const store = new SimStore(options);
  const apiKey = options.apiKey ?? randomBytes(32).toString('hex');
  const jwtSecret = options.jwtSecret ?? randomBytes(32).toString('base64');
  const requests: RecordedRequest[] = [];
  const app = Fastify({ logger: false });
  const recorded = new WeakMap<FastifyRequest, RecordedRequest>();
  const identities = new WeakMap<FastifyRequest, Identity>();
  let url = '';
  const sim: Simulator = {
    url,
    apiKey,
    jwtSecret,
    store,
    requests,
    maxRecordsReturned: options.maxRecordsReturned ?? DEFAULT_MAX_RECORDS,
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
  const ctx: SimContext = {
    store,
    apiKey,
    jwtSecret,
    get maxRecordsReturned() {
      return sim.maxRecordsReturned;
    },
    url: () => url,
  };

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
  // df.evaluate_limits runs after the access checks, before the resource handles the call.
  app.addHook('preHandler', async (request, reply) => {
    recorded.get(request)!.body = request.body;
    const identity = identities.get(request);
    if (!identity || identity.isAdmin) {
      return;
    }
    const evaluation = store.evaluate({
      userId: identity.userId,
      roleId: identity.roleId,
      auth: identity.auth === 'session' ? 'session' : 'apiKey',
      serviceId: store.serviceByName(identity.service)?.id as number | undefined,
      resource: identity.resource,
      method: request.method,
    });
    if (evaluation.refused.length > 0) {
      throw limitExceeded(reply, evaluation.refused, store.rateLimitHeaders(evaluation), store.now());
    }
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

  directoryRoutes(app, ctx);
  limitsRoutes(app, ctx);
  serviceCallRoutes(app, store);

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
  url = address.replace('://localhost', '://127.0.0.1');
  sim.url = url;
  return sim;
}
