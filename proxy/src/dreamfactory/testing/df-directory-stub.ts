/**
 * Test double for the two DreamFactory lists the user directory reads (`system/user`, `system/admin`), speaking
 * DreamFactory's envelope (`{"resource":[...],"meta":{"count":N}}`, docs/dreamfactory.md#lists-and-paging) with its
 * page cap, limit/offset and the `(id > N)` filter the directory pages with.
 * Counts requests and can be switched off, so tests can see caching, single-flight and outage behaviour.
 */
import Fastify, { FastifyInstance } from 'fastify';
import { DREAMFACTORY_API_KEY_HEADER } from '@shared/headers';
import type { DfUserRecord } from '../users';

export interface DirectoryStub {
  url: string;
  apiKey: string;
  users: DfUserRecord[];
  admins: DfUserRecord[];
  /** Requests served per list path. */
  requests: Record<string, number>;
  /** When true every request gets HTTP 503 with DreamFactory's error envelope. */
  down: boolean;
  /** Delay before answering, to let concurrent callers pile up. */
  delayMs: number;
  close(): Promise<void>;
}

export function makeUsers(count: number, firstId: number, admin = false): DfUserRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const id = firstId + i;
    const kind = admin ? 'admin' : 'user';
    return {
      id,
      name: `${admin ? 'Admin' : 'User'} ${id}`,
      first_name: admin ? 'Admin' : 'User',
      last_name: String(id),
      email: `${kind}${id}@example.com`,
      is_active: id % 17 !== 0,
      last_login_date: id % 3 === 0 ? null : '2026-11-20 10:00:00',
    };
  });
}

export async function startDirectoryStub(users: DfUserRecord[], admins: DfUserRecord[], maxPage = 1000): Promise<DirectoryStub> {
  const app: FastifyInstance = Fastify();
  const stub: DirectoryStub = {
    url: '',
    apiKey: 'stub-api-key-0123456789',
    users,
    admins,
    requests: {},
    down: false,
    delayMs: 0,
    close: () => app.close(),
  };
  app.get<{ Params: { list: string }; Querystring: Record<string, string> }>('/api/v2/system/:list', async (request, reply) => {
    const list = request.params.list;
    stub.requests[list] = (stub.requests[list] ?? 0) + 1;
    if (stub.delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, stub.delayMs));
    }
    if (stub.down) {
      return reply.code(503).send({ error: { code: 503, context: null, message: 'Service Unavailable', status_code: 503 } });
    }
    if (request.headers[DREAMFACTORY_API_KEY_HEADER] !== stub.apiKey) {
      return reply.code(401).send({ error: { code: 401, context: null, message: 'Unauthorized.', status_code: 401 } });
    }
    const rows = list === 'user' ? stub.users : list === 'admin' ? stub.admins : undefined;
    if (!rows) {
      return reply.code(404).send({ error: { code: 404, context: null, message: `Resource '${list}' not found.`, status_code: 404 } });
    }
    const limit = Number(request.query.limit);
    const size = limit >= 1 && limit <= maxPage ? limit : maxPage;
    const offset = Number(request.query.offset ?? 0);
    // The one filter the directory sends: ids after the last one it received.
    const after = Number(/\(id > (\d+)\)/.exec(request.query.filter ?? '')?.[1] ?? -Infinity);
    const matching = rows.filter((row) => Number(row.id) > after);
    const page = matching.slice(offset, offset + size);
    return request.query.include_count === 'true' ? { resource: page, meta: { count: matching.length } } : { resource: page };
  });
  stub.url = await app.listen({ host: '127.0.0.1', port: 0 });
  return stub;
}
