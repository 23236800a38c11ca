/**
 * Header names on the wire, lower-case as Node presents them (HTTP header names are case-insensitive). Grafana's
 * datasource routes set the Insights ones (src/datasource/plugin.json, checked against these by a test) and the proxy
 * reads them; the DreamFactory ones are DreamFactory's own.
 */

/** The proxy token every `/api` call carries; Grafana's routes add it server-side from the datasource's secure settings. */
export const PROXY_TOKEN_HEADER = 'x-insights-token';

/**
 * Which Grafana route a call came through. Every route sets it, because Grafana passes on any header a route does not
 * name (docs/grafana.md). Absent on direct calls with the proxy token (the CLI).
 */
export const WRITE_GRANT_HEADER = 'x-insights-write-grant';

/** The values of WRITE_GRANT_HEADER: the Admin routes send `admin`, the Editor routes `editor`, the read routes `viewer`. */
export const WRITE_GRANTS = { admin: 'admin', editor: 'editor', viewer: 'viewer' } as const;

export type WriteGrant = (typeof WRITE_GRANTS)[keyof typeof WRITE_GRANTS];

/** DreamFactory's API key header (the proxy's own key on its calls; a caller's key in logged events). */
export const DREAMFACTORY_API_KEY_HEADER = 'x-dreamfactory-api-key';

/** DreamFactory's session JWT header, as logged events carry it. */
export const DREAMFACTORY_SESSION_TOKEN_HEADER = 'x-dreamfactory-session-token';
