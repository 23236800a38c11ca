/**
 * What Grafana's datasource proxy does with a plugin's `routes` (pkg/api/pluginproxy/ds_proxy.go + ApplyRoute), for
 * the browser harness: match by method and path prefix in order (first match wins), check `reqRole`, then render the
 * Go templates and join the rest of the path onto the route URL. Pure, so the rules are easy to read against Grafana's.
 */
export type OrgRole = 'Viewer' | 'Editor' | 'Admin';

export interface PluginRoute {
  path: string;
  method?: string;
  url: string;
  reqRole?: OrgRole;
  headers?: Array<{ name: string; content: string }>;
}

export interface DatasourceSecrets {
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

export type RouteDecision =
  | { kind: 'forward'; url: string; headers: Record<string, string> }
  | { kind: 'denied'; status: 403; message: string }
  | { kind: 'unmatched'; status: 404; message: string };

const ROLE_RANK: Record<OrgRole, number> = { Viewer: 1, Editor: 2, Admin: 3 };

export function isOrgRole(value: unknown): value is OrgRole {
  return value === 'Viewer' || value === 'Editor' || value === 'Admin';
}

/** Grafana's util.CleanRelativePath: path.Clean of "/"+p, without the leading slash. */
function cleanRelativePath(p: string): string {
  const parts: string[] = [];
  for (const segment of `/${p}`.split('/')) {
    if (segment === '..') {
      parts.pop();
    } else if (segment && segment !== '.') {
      parts.push(segment);
    }
  }
  return parts.join('/');
}

/** Grafana's util.JoinURLFragments. */
function joinUrlFragments(a: string, b: string): string {
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

function methodMatches(route: PluginRoute, method: string): boolean {
  if (!route.method || route.method === '*') {
    return true;
  }
  return route.method
    .split(',')
    .map((m) => m.trim().toUpperCase())
    .includes(method.toUpperCase());
}

/** Renders `{{ .JsonData.x }}` / `{{ .SecureJsonData.y }}`; a missing key renders empty, as Go's template does. */
export function renderTemplate(template: string, secrets: DatasourceSecrets): string {
  return template.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g, (_all, scope: string, key: string) => {
    const value = scope === 'JsonData' ? secrets.jsonData[key] : secrets.secureJsonData[key];
    return value === undefined || value === null ? '' : String(value);
  });
}

/**
 * @param proxyPath the part of `/api/datasources/proxy/uid/<uid>/<proxyPath>` after the uid, with its query string.
 */
export function decideRoute(
  routes: PluginRoute[],
  method: string,
  proxyPath: string,
  role: OrgRole,
  secrets: DatasourceSecrets
): RouteDecision {
  const [pathOnly, query] = splitQuery(proxyPath);
  const cleaned = cleanRelativePath(pathOnly);
  for (const route of routes) {
    if (!methodMatches(route, method) || !cleaned.startsWith(cleanRelativePath(route.path))) {
      continue;
    }
    if (route.reqRole && ROLE_RANK[role] < ROLE_RANK[route.reqRole]) {
      return { kind: 'denied', status: 403, message: 'plugin proxy route access denied' };
    }
    const target = new URL(renderTemplate(route.url, secrets));
    const rest = pathOnly.startsWith(route.path) ? pathOnly.slice(route.path.length) : pathOnly;
    target.pathname = joinUrlFragments(target.pathname, rest);
    target.search = query;
    const headers: Record<string, string> = {};
    for (const header of route.headers ?? []) {
      headers[header.name.toLowerCase()] = renderTemplate(header.content, secrets);
    }
    return { kind: 'forward', url: target.toString(), headers };
  }
  // Grafana would fall back to the datasource's own URL; ours has none, so an unrouted call is a bug worth a 404.
  return { kind: 'unmatched', status: 404, message: `no route of the datasource matches ${method} ${pathOnly}` };
}

function splitQuery(p: string): [string, string] {
  const at = p.indexOf('?');
  return at < 0 ? [p, ''] : [p.slice(0, at), p.slice(at)];
}
