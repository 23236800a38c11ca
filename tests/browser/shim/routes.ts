/**
 * Grafana's datasource proxy (`/api/datasources/proxy/uid/<uid>/<path>`) for the browser harness, rule by rule as
 * docs/grafana.md states them with their Grafana source files: routes tried in file order, the first whose method and
 * path prefix match wins; its `reqRole` is checked against the ORG role (403, no later route tried); the matched
 * prefix is cut and the rest joined to the route URL; route headers replace client headers of the same name. Upstream
 * answers are rewritten as Grafana rewrites them (a 401 becomes a plain-text 400) and failures answered as Grafana
 * answers them (502, 504 after the datasource-proxy timeout). Pure, so each rule is tested on its own.
 */
export type OrgRole = 'None' | 'Viewer' | 'Editor' | 'Admin';

export interface PluginRoute {
  path: string;
  method?: string;
  url?: string;
  reqRole?: string;
  headers?: Array<{ name: string; content: string }>;
}

/** What the proxy knows of a datasource instance (server side: secrets decrypted). */
export interface DatasourceInstance {
  /** The datasource's own URL; requests no route matches go there. */
  url: string;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

export interface ProxyRequest {
  method: string;
  /** The escaped path after `/api/datasources/proxy/uid/<uid>/`, with its query string. */
  proxyPath: string;
  role: OrgRole;
  /** The browser's request headers, names lower-case. */
  headers: Record<string, string>;
  /** The browser's address, for X-Forwarded-For. */
  remoteAddress?: string;
}

export type RouteDecision =
  /** `target` is undefined when the URL has no scheme or host: Grafana's transport fails, the browser gets a 502. */
  | { kind: 'forward'; target: URL | undefined; headers: Record<string, string> }
  | { kind: 'denied'; status: 403; body: { message: string } };

export interface ProxyAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

/** Grafana's body for an upstream 401 (pkg/api/pluginproxy/ds_proxy.go). */
export const UPSTREAM_AUTH_FAILED = 'Authentication to data source failed';
export const ROUTE_DENIED = 'plugin proxy route access denied';
/** `[dataproxy] timeout`: how long Grafana waits for the upstream's response headers. */
export const DEFAULT_DATAPROXY_TIMEOUT_SECONDS = 30;
const GRAFANA_USER_AGENT = 'Grafana/12.4.10';

const ROLE_PRECEDENCE: Record<OrgRole, number> = { None: 0, Viewer: 1, Editor: 2, Admin: 3 };

export function isOrgRole(value: unknown): value is OrgRole {
  return typeof value === 'string' && value in ROLE_PRECEDENCE;
}

/** Grafana's RoleType.Includes. */
export function roleIncludes(role: OrgRole, required: OrgRole): boolean {
  return ROLE_PRECEDENCE[role] >= ROLE_PRECEDENCE[required];
}

/** Route keys this model implements; any other (reqAction, tokenAuth, urlParams, body …) fails loudly. */
const MODELLED_ROUTE_KEYS = new Set(['path', 'method', 'url', 'reqRole', 'headers']);

export function assertModelled(routes: PluginRoute[]): void {
  for (const route of routes) {
    const extra = Object.keys(route).filter((key) => !MODELLED_ROUTE_KEYS.has(key));
    if (extra.length) {
      throw new Error(`route "${route.path}" uses ${extra.join(', ')}, which the harness does not model`);
    }
  }
}

/** Grafana's util.CleanRelativePath: path.Clean("/" + p) made relative ("." for nothing). */
export function cleanRelativePath(p: string): string {
  const parts: string[] = [];
  for (const segment of `/${p}`.split('/')) {
    if (segment === '..') {
      parts.pop();
    } else if (segment && segment !== '.') {
      parts.push(segment);
    }
  }
  return parts.join('/') || '.';
}

/** Grafana's util.JoinURLFragments. */
export function joinUrlFragments(a: string, b: string): string {
  if (b.length === 0) {
    return a;
  }
  const aSlash = a.endsWith('/');
  const bSlash = b.startsWith('/');
  if (aSlash && bSlash) {
    return a + b.slice(1);
  }
  if (!aSlash && !bSlash) {
    return `${a}/${b}`;
  }
  return a + b;
}

/** One verb, compared exactly; empty and `*` match any. A comma list is one string no request method equals. */
function methodMatches(route: PluginRoute, method: string): boolean {
  return !route.method || route.method === '*' || route.method === method;
}

const TEMPLATE_ACTION = /\{\{(.*?)\}\}/g;
const FIELD = /^\s*\.(JsonData|SecureJsonData)\.(\w+)\s*$/;

/**
 * Go's text/template over {JsonData, SecureJsonData}, for the field references routes use. A key missing from either
 * map prints "<no value>" (text/template's default for a missing map key), so an unset secret is sent as that text.
 */
export function renderTemplate(
  template: string,
  datasource: Pick<DatasourceInstance, 'jsonData' | 'secureJsonData'>
): string {
  return template.replace(TEMPLATE_ACTION, (action: string, inner: string) => {
    const field = FIELD.exec(inner);
    if (!field) {
      throw new Error(`template action ${action} is not modelled by the harness`);
    }
    const [, scope, key] = field;
    const value = scope === 'SecureJsonData' ? datasource.secureJsonData[key] : datasource.jsonData[key];
    // A JSON null is an empty interface, which text/template prints like a missing key.
    if (value === undefined || value === null) {
      return '<no value>';
    }
    if (typeof value === 'object') {
      throw new Error(`template ${action} renders a ${Array.isArray(value) ? 'list' : 'map'}, which is not modelled`);
    }
    return String(value);
  });
}

/** What Go's transport accepts: an http(s) URL with a host. Anything else fails the request (502). */
function parseTarget(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/** Cookies, Origin and Referer never leave Grafana; X-Grafana-User is Grafana's to set; the length is the transport's. */
const DROPPED_REQUEST_HEADERS = ['host', 'content-length', 'cookie', 'origin', 'referer', 'x-grafana-user'];

/** The browser's headers as Grafana's reverse proxy passes them on, before the route's own. */
function forwardedHeaders(request: ProxyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!HOP_BY_HOP.includes(name) && !DROPPED_REQUEST_HEADERS.includes(name)) {
      headers[name] = value;
    }
  }
  const dsAuthorization = headers['x-ds-authorization'];
  if (dsAuthorization) {
    delete headers['x-ds-authorization'];
    headers.authorization = dsAuthorization;
  }
  headers['user-agent'] = GRAFANA_USER_AGENT;
  if (request.remoteAddress) {
    headers['x-forwarded-for'] = headers['x-forwarded-for']
      ? `${headers['x-forwarded-for']}, ${request.remoteAddress}`
      : request.remoteAddress;
  }
  return headers;
}

function splitQuery(p: string): [string, string] {
  const at = p.indexOf('?');
  return at < 0 ? [p, ''] : [p.slice(0, at), p.slice(at)];
}

function withPathAndQuery(base: URL | undefined, path: string, query: string): URL | undefined {
  if (base) {
    base.pathname = joinUrlFragments(base.pathname, path);
    base.search = query;
  }
  return base;
}

/** The datasource's own URL as Grafana's ValidateURL reads it: no scheme means http. */
function ownTarget(datasource: DatasourceInstance): URL | undefined {
  return parseTarget(/^[^:]*:\/\//.test(datasource.url) ? datasource.url : `http://${datasource.url}`);
}

export function decideRoute(
  routes: PluginRoute[],
  request: ProxyRequest,
  datasource: DatasourceInstance
): RouteDecision {
  const [path, query] = splitQuery(request.proxyPath);
  const cleaned = cleanRelativePath(path);
  const headers = forwardedHeaders(request);
  for (const route of routes) {
    if (!methodMatches(route, request.method) || !cleaned.startsWith(cleanRelativePath(route.path))) {
      continue;
    }
    // An unknown role name (a typo, a lower-case "admin") restricts nothing: Grafana skips invalid roles.
    if (isOrgRole(route.reqRole) && !roleIncludes(request.role, route.reqRole)) {
      return { kind: 'denied', status: 403, body: { message: ROUTE_DENIED } };
    }
    for (const header of route.headers ?? []) {
      headers[header.name.toLowerCase()] = renderTemplate(header.content, datasource);
    }
    // The raw path minus the route's path (as written), joined to the route URL; a route without one keeps the
    // datasource's URL and the whole path.
    const target = route.url
      ? withPathAndQuery(
          parseTarget(renderTemplate(route.url, datasource)),
          path.startsWith(route.path) ? path.slice(route.path.length) : path,
          query
        )
      : withPathAndQuery(ownTarget(datasource), path, query);
    return { kind: 'forward', target, headers };
  }
  // No route: the datasource's own URL, with no route headers.
  return { kind: 'forward', target: withPathAndQuery(ownTarget(datasource), path, query), headers };
}

/** How long Grafana waits for this datasource's response headers: `jsonData.timeout` seconds when positive, else the default. */
export function dataproxyTimeoutMs(
  jsonData: Record<string, unknown>,
  defaultSeconds = DEFAULT_DATAPROXY_TIMEOUT_SECONDS
): number {
  const own = Number(jsonData.timeout);
  return (Number.isInteger(own) && own > 0 ? own : defaultSeconds) * 1000;
}

const DROPPED_RESPONSE_HEADERS = ['set-cookie', 'content-length', 'content-encoding', ...HOP_BY_HOP];

/** The upstream's answer as the browser gets it from Grafana. */
export function grafanaAnswer(upstream: ProxyAnswer): ProxyAnswer {
  if (upstream.status === 401) {
    // Grafana drops the upstream's body and headers; Go labels the short text body as plain text.
    return {
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': 'sandbox' },
      body: UPSTREAM_AUTH_FAILED,
    };
  }
  const headers = Object.fromEntries(
    Object.entries(upstream.headers).filter(([name]) => !DROPPED_RESPONSE_HEADERS.includes(name.toLowerCase()))
  );
  return {
    status: upstream.status,
    headers: { ...headers, 'content-security-policy': 'sandbox' },
    body: upstream.body,
  };
}

/** Grafana's reverse-proxy error handler: a timeout is 504, any other transport failure 502; no body either way. */
export function proxyFailure(kind: 'timeout' | 'unreachable'): ProxyAnswer {
  return { status: kind === 'timeout' ? 504 : 502, headers: {}, body: '' };
}
