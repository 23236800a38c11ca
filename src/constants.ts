import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;
export const DATASOURCE_TYPE = 'dreamfactory-insights-datasource';

export enum ROUTES {
  Limits = 'limits',
  LimitCounters = 'limit-counters',
  Status = 'status',
}

export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

/** Sub-routes of the Limits page (rendered under `limits/*`). */
export const LIMIT_ROUTES = { create: 'new', edit: ':id/edit', near: 'near' } as const;

export const limitsListUrl = () => prefixRoute(ROUTES.Limits);
export const nearLimitsUrl = () => prefixRoute(`${ROUTES.Limits}/${LIMIT_ROUTES.near}`);
export const limitCreateUrl = () => prefixRoute(`${ROUTES.Limits}/${LIMIT_ROUTES.create}`);
export const limitEditUrl = (id: number) => prefixRoute(`${ROUTES.Limits}/${id}/edit`);
