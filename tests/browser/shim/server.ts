/**
 * A Grafana stand-in for the browser harness: serves the host page and the BUILT plugin (`dist/`) where Grafana
 * serves plugins, keeps the app's settings in memory, and plays Grafana's datasource proxy for our datasource using
 * the routes of `dist/datasource/plugin.json`, so the route definitions (roles, templates, paths) are what is tested.
 * The datasource's secrets live here only; the browser gets `secureJsonFields`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { APP_ID, BrowserDatasourceSettings, PLUGIN_BASE, hostPage } from './boot-data';
import { DatasourceSecrets, OrgRole, PluginRoute, decideRoute, isOrgRole } from './routes';
import { sendFile } from './static-files';

export const ROLE_COOKIE = 'harness_role';
const ICONS_DIR = join(__dirname, '../../../node_modules/@grafana/ui/dist/public/img/icons');

export interface ShimOptions {
  /** The built plugin (the repo's `dist/`). */
  distDir: string;
  /** The built host bundle. */
  hostDir: string;
  datasource: { uid: string; name: string } & DatasourceSecrets;
  port?: number;
}

export interface RunningShim {
  url: string;
  close(): Promise<void>;
}

interface AppSettings {
  enabled: boolean;
  pinned: boolean;
  jsonData: Record<string, unknown>;
  secureJsonFields: Record<string, boolean>;
}

function sessionRole(request: FastifyRequest): OrgRole {
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.role;
  if (isOrgRole(fromQuery)) {
    return fromQuery;
  }
  const cookie = /(?:^|;\s*)harness_role=(\w+)/.exec(request.headers.cookie ?? '')?.[1];
  return isOrgRole(cookie) ? cookie : 'Admin';
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export async function startShim(options: ShimOptions): Promise<RunningShim> {
  const datasourceMeta = readJson(join(options.distDir, 'datasource', 'plugin.json'));
  const appMeta = readJson(join(options.distDir, 'plugin.json'));
  const routes = (datasourceMeta.routes ?? []) as PluginRoute[];
  const secrets: DatasourceSecrets = {
    jsonData: { ...options.datasource.jsonData },
    secureJsonData: { ...options.datasource.secureJsonData },
  };
  const appSettings: AppSettings = { enabled: true, pinned: true, jsonData: {}, secureJsonFields: {} };
  const { uid, name } = options.datasource;

  const browserDatasource = (): BrowserDatasourceSettings => ({
    id: 1,
    uid,
    name,
    type: String(datasourceMeta.id),
    url: `/api/datasources/proxy/uid/${uid}`,
    access: 'proxy',
    jsonData: secrets.jsonData,
    secureJsonFields: Object.fromEntries(Object.keys(secrets.secureJsonData).map((key) => [key, true])),
    meta: { ...datasourceMeta, module: `${PLUGIN_BASE}/datasource/module.js`, baseUrl: `${PLUGIN_BASE}/datasource` },
  });

  const app: FastifyInstance = Fastify({ logger: false });

  app.get(`${PLUGIN_BASE}/*`, (request, reply) =>
    sendFile(reply, options.distDir, (request.params as { '*': string })['*'])
  );
  app.get('/public/harness/*', (request, reply) =>
    sendFile(reply, options.hostDir, (request.params as { '*': string })['*'])
  );
  // @grafana/ui's <Icon> fetches its SVGs from Grafana's public path.
  app.get('/public/build/img/icons/*', (request, reply) =>
    sendFile(reply, ICONS_DIR, (request.params as { '*': string })['*'])
  );
  // A missing asset is a 404, never the host page.
  app.get('/public/*', async (request, reply) => reply.code(404).send({ message: `Not found: ${request.url}` }));
  app.all('/api/*', async (request, reply) =>
    reply.code(404).send({ message: `Not found: ${request.method} ${request.url}` })
  );

  app.get(`/api/plugins/${APP_ID}/settings`, async () => ({
    ...appMeta,
    ...appSettings,
    module: `${PLUGIN_BASE}/module.js`,
    baseUrl: PLUGIN_BASE,
  }));
  app.post(`/api/plugins/${APP_ID}/settings`, async (request, reply) => {
    if (sessionRole(request) !== 'Admin') {
      return reply.code(403).send({ message: 'Permission denied' });
    }
    const body = (request.body ?? {}) as Partial<AppSettings> & { secureJsonData?: Record<string, string> };
    appSettings.enabled = body.enabled ?? appSettings.enabled;
    appSettings.pinned = body.pinned ?? appSettings.pinned;
    appSettings.jsonData = body.jsonData ?? appSettings.jsonData;
    for (const key of Object.keys(body.secureJsonData ?? {})) {
      appSettings.secureJsonFields[key] = true;
    }
    return { message: 'Plugin settings updated' };
  });

  app.get(`/api/datasources/uid/${uid}`, async () => browserDatasource());
  // The ConfigEditor's "Save": jsonData replaces, secureJsonData keys sent are (re)set; the reply carries no secrets.
  app.put(`/api/datasources/uid/${uid}`, async (request, reply) => {
    if (sessionRole(request) !== 'Admin') {
      return reply.code(403).send({ message: 'Permission denied' });
    }
    const body = (request.body ?? {}) as {
      jsonData?: Record<string, unknown>;
      secureJsonData?: Record<string, string>;
    };
    secrets.jsonData = body.jsonData ?? secrets.jsonData;
    Object.assign(secrets.secureJsonData, body.secureJsonData ?? {});
    return { message: 'Datasource updated', datasource: browserDatasource() };
  });

  await app.register(async (proxyScope) => {
    // Bodies pass through untouched, whatever their type.
    proxyScope.removeAllContentTypeParsers();
    proxyScope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    proxyScope.all(`/api/datasources/proxy/uid/${uid}/*`, (request, reply) => forward(request, reply));
  });

  async function forward(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const prefix = `/api/datasources/proxy/uid/${uid}/`;
    const proxyPath = request.url.slice(request.url.indexOf(prefix) + prefix.length);
    const decision = decideRoute(routes, request.method, proxyPath, sessionRole(request), secrets);
    if (decision.kind !== 'forward') {
      return reply.code(decision.status).send({ message: decision.message });
    }
    const headers: Record<string, string> = { ...decision.headers };
    for (const name of ['content-type', 'accept']) {
      const value = request.headers[name];
      if (typeof value === 'string') {
        headers[name] = value;
      }
    }
    let upstream: Response;
    try {
      upstream = await fetch(decision.url, {
        method: request.method,
        headers,
        body: request.body instanceof Buffer ? new Uint8Array(request.body) : undefined,
        signal: AbortSignal.timeout(60_000),
      });
    } catch {
      return reply.code(502).send({ message: 'Bad Gateway' });
    }
    const contentType = upstream.headers.get('content-type');
    if (contentType) {
      reply.header('content-type', contentType);
    }
    return reply.code(upstream.status).send(Buffer.from(await upstream.arrayBuffer()));
  }

  // Every other GET is a page of the single-page host, as in Grafana; the role chosen by `?role=` sticks in a cookie.
  app.get('/*', async (request, reply) => {
    const role = sessionRole(request);
    return reply
      .header('set-cookie', `${ROLE_COOKIE}=${role}; Path=/; SameSite=Strict`)
      .header('content-type', 'text/html; charset=utf-8')
      .send(hostPage(role, browserDatasource()));
  });

  const address = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return { url: address, close: () => app.close() };
}
