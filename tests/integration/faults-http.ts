/**
 * Fault injection in front of a real upstream (Elasticsearch, the DreamFactory simulator), for the faults-*.test.ts
 * suites. Loopback only; each helper returns its URL and a close().
 *
 *   startDelayProxy: TCP, holds every upstream→client chunk `delayMs` (a slow or overloaded node).
 *   startFaultProxy: HTTP, a rule per request decides: pass through, pass and rewrite the answer, answer itself, or
 *                    cut the connection (unreachable). The rule can be swapped while a test runs.
 */
import { createServer as createHttpServer, IncomingMessage, request as httpRequest } from 'node:http';
import { createServer as createTcpServer, connect, Socket, type AddressInfo } from 'node:net';

export interface RunningFaultServer {
  url: string;
  close(): Promise<void>;
}

export async function startDelayProxy(target: string, delayMs: number): Promise<RunningFaultServer> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    const upstream = connect({ host: hostname, port: Number(port) });
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    // Chunks are released in order, each `delayMs` after it arrived.
    let chain = Promise.resolve();
    upstream.on('data', (chunk: Buffer) => {
      chain = chain
        .then(() => new Promise((r) => setTimeout(r, delayMs)))
        .then(() => void (client.destroyed || client.write(chunk)));
    });
    upstream.on('end', () => void chain.then(() => client.end()));
    const done = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', done).on('close', done);
    upstream.on('error', done);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise((r) => server.close(() => r()));
    },
  };
}

export interface FaultRequest {
  method: string;
  path: string;
  body: Buffer;
}

export type FaultAction =
  | { kind: 'pass' }
  | { kind: 'rewrite'; rewrite: (status: number, body: Buffer) => { status: number; body: Buffer | string } }
  | { kind: 'respond'; status: number; body: unknown }
  | { kind: 'unreachable' };

export type FaultRule = (request: FaultRequest) => FaultAction;

export interface RunningFaultProxy extends RunningFaultServer {
  rule: FaultRule;
  /** Every request seen, with what the rule did to it. */
  seen: Array<FaultRequest & { action: FaultAction['kind'] }>;
}

const readBody = (stream: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const parts: Buffer[] = [];
    stream
      .on('data', (c: Buffer) => parts.push(c))
      .on('end', () => resolve(Buffer.concat(parts)))
      .on('error', reject);
  });

export async function startFaultProxy(
  target: string,
  rule: FaultRule = () => ({ kind: 'pass' })
): Promise<RunningFaultProxy> {
  const upstream = new URL(target);
  const proxy: RunningFaultProxy = { url: '', rule, seen: [], close: async () => undefined };
  const server = createHttpServer(async (req, res) => {
    const body = await readBody(req);
    const request = { method: req.method ?? 'GET', path: req.url ?? '/', body };
    const action = proxy.rule(request);
    proxy.seen.push({ ...request, action: action.kind });
    if (action.kind === 'unreachable') {
      req.socket.destroy();
      return;
    }
    if (action.kind === 'respond') {
      res.writeHead(action.status, { 'content-type': 'application/json' }).end(JSON.stringify(action.body));
      return;
    }
    // Plain answers, so a rule can read and rewrite them (Elasticsearch gzips when the client accepts it).
    const headers = {
      ...req.headers,
      host: upstream.host,
      'content-length': String(body.length),
      'accept-encoding': 'identity',
    };
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      async (answer) => {
        const answerBody = await readBody(answer);
        const out =
          action.kind === 'rewrite'
            ? action.rewrite(answer.statusCode ?? 502, answerBody)
            : { status: answer.statusCode ?? 502, body: answerBody };
        const outHeaders = { ...answer.headers, 'content-length': String(Buffer.byteLength(out.body)) };
        delete outHeaders['transfer-encoding'];
        res.writeHead(out.status, outHeaders).end(out.body);
      }
    );
    forward.on('error', () => res.destroy());
    forward.end(body);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => {
    server.closeAllConnections();
    return new Promise((r) => server.close(() => r()));
  };
  return proxy;
}
