/**
 * A Grafana stand-in for the browser harness: serves the host page and the BUILT plugin (`dist/`) where Grafana
 * serves plugins, provisions the app and the datasource from the repository's provisioning/ folder the way Grafana
 * reads it, and plays Grafana's datasource proxy (./routes.ts) with the routes of `dist/datasource/plugin.json`, so
 * the route definitions and the provisioning files are what is tested. Secrets live here only; the browser gets
 * `secureJsonFields`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { APP_ID, BrowserDatasourceSettings, HarnessSession, PLUGIN_BASE, hostPage } from './boot-data';
import { Environment, loadProvisioning } from './provisioning';
import {
  DEFAULT_DATAPROXY_TIMEOUT_SECONDS,
  DatasourceInstance,
  PluginRoute,
  ProxyAnswer,
  assertModelled,
  dataproxyTimeoutMs,
  decideRoute,
  grafanaAnswer,
  isOrgRole,
  proxyFailure,
} from './routes';
import { sendFile } from './static-files';

export const ROLE_COOKIE = 'harness_role';
export const SERVER_ADMIN_COOKIE = 'harness_server_admin';
const ICONS_DIR = join(__dirname, '../../../node_modules/@grafana/ui/dist/public/img/icons');

export interface ShimOptions {
  /** The built plugin (the repo's `dist/`). */
  distDir: string;
  /** The built host bundle. */
  hostDir: string;
  /** A Grafana provisioning folder (the repo's `provisioning/`), read with `env` as Grafana's environment. */
  provisioningDir: string;
  env: Environment;
  /** Grafana's `[dataproxy] timeout` (seconds). */
  dataproxyTimeoutSeconds?: number;
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

function cookie(request: FastifyRequest, name: string): string | undefined {
  return new RegExp(`(?:^|;\\s*)${name}=(\\w+)`).exec(request.headers.cookie ?? '')?.[1];
}

/** `?role=` and `?serverAdmin=1` pick the session (and stick in cookies); default: an org Admin, not a server admin. */
function sessionOf(request: FastifyRequest): HarnessSession {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const role = isOrgRole(query.role) ? query.role : cookie(request, ROLE_COOKIE);
  const serverAdmin = typeof query.serverAdmin === 'string' ? query.serverAdmin : cookie(request, SERVER_ADMIN_COOKIE);
  return { role: isOrgRole(role) ? role : 'Admin', isGrafanaAdmin: serverAdmin === '1' };
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function plainHeaders(request: FastifyRequest): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.headers)
      .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value])
  );
}

export async function startShim(options: ShimOptions): Promise<RunningShim> {
  const datasourceMeta = readJson(join(options.distDir, 'datasource', 'plugin.json'));
  const appMeta = readJson(join(options.distDir, 'plugin.json'));
  const routes = (datasourceMeta.routes ?? []) as PluginRoute[];
  assertModelled(routes);

  const provisioned = loadProvisioning(options.provisioningDir, options.env);
  const provisionedDatasource = provisioned.datasources.find((ds) => ds.type === datasourceMeta.id);
  if (!provisionedDatasource) {
    throw new Error(`${options.provisioningDir} provisions no ${String(datasourceMeta.id)} datasource`);
  }
  const { uid, name } = provisionedDatasource;
  const datasource: DatasourceInstance = {
    url: provisionedDatasource.url,
    jsonData: provisionedDatasource.jsonData,
    secureJsonData: provisionedDatasource.secureJsonData,
  };
  const provisionedApp = provisioned.apps.find((app) => app.type === APP_ID);
  const appSettings: AppSettings = {
    enabled: provisionedApp?.enabled ?? false,
    pinned: true,
    jsonData: provisionedApp?.jsonData ?? {},
    secureJsonFields: Object.fromEntries(Object.keys(provisionedApp?.secureJsonData ?? {}).map((key) => [key, true])),
  };

  const browserDatasource = (): BrowserDatasourceSettings => ({
    id: 1,
    uid,
    name,
    type: String(datasourceMeta.id),
    url: `/api/datasources/proxy/uid/${uid}`,
    access: 'proxy',
    jsonData: datasource.jsonData,
    secureJsonFields: Object.fromEntries(Object.keys(datasource.secureJsonData).map((key) => [key, true])),
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
    if (sessionOf(request).role !== 'Admin') {
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
    if (sessionOf(request).role !== 'Admin') {
      return reply.code(403).send({ message: 'Permission denied' });
    }
    const body = (request.body ?? {}) as {
      jsonData?: Record<string, unknown>;
      secureJsonData?: Record<string, string>;
    };
    datasource.jsonData = body.jsonData ?? datasource.jsonData;
    Object.assign(datasource.secureJsonData, body.secureJsonData ?? {});
    return { message: 'Datasource updated', datasource: browserDatasource() };
  });

  await app.register(async (proxyScope) => {
    // Bodies pass through untouched, whatever their type.
    proxyScope.removeAllContentTypeParsers();
    proxyScope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    proxyScope.all(`/api/datasources/proxy/uid/${uid}/*`, (request, reply) => forward(request, reply));
  });

  const send = (reply: FastifyReply, answer: ProxyAnswer) =>
    reply.code(answer.status).headers(answer.headers).send(answer.body);

  async function forward(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const prefix = `/api/datasources/proxy/uid/${uid}/`;
    const decision = decideRoute(
      routes,
      {
        method: request.method,
        proxyPath: request.url.slice(request.url.indexOf(prefix) + prefix.length),
        role: sessionOf(request).role,
        headers: plainHeaders(request),
        remoteAddress: request.ip,
      },
      datasource
    );
    if (decision.kind === 'denied') {
      return reply.code(decision.status).send(decision.body);
    }
    if (!decision.target) {
      return send(reply, proxyFailure('unreachable'));
    }
    // Grafana's timeout covers the wait for the response headers, not the body.
    const waitForHeaders = new AbortController();
    const timeoutMs = dataproxyTimeoutMs(
      datasource.jsonData,
      options.dataproxyTimeoutSeconds ?? DEFAULT_DATAPROXY_TIMEOUT_SECONDS
    );
    const timer = setTimeout(() => waitForHeaders.abort(), timeoutMs);
    let upstream: Response;
    try {
      upstream = await fetch(decision.target, {
        method: request.method,
        headers: decision.headers,
        body: request.body instanceof Buffer ? new Uint8Array(request.body) : undefined,
        signal: waitForHeaders.signal,
      });
    } catch {
      return send(reply, proxyFailure(waitForHeaders.signal.aborted ? 'timeout' : 'unreachable'));
    } finally {
      clearTimeout(timer);
    }
    const headers: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = new Uint8Array(await upstream.arrayBuffer());
    return send(reply, grafanaAnswer({ status: upstream.status, headers, body }));
  }

  // Every other GET is a page of the single-page host, as in Grafana; the session chosen by the query sticks.
  app.get('/*', async (request, reply) => {
    const session = sessionOf(request);
    return reply
      .header('set-cookie', [
        `${ROLE_COOKIE}=${session.role}; Path=/; SameSite=Strict`,
        `${SERVER_ADMIN_COOKIE}=${session.isGrafanaAdmin ? 1 : 0}; Path=/; SameSite=Strict`,
      ])
      .header('content-type', 'text/html; charset=utf-8')
      .send(hostPage(session, browserDatasource()));
  });

  const address = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return { url: address, close: () => app.close() };
}
