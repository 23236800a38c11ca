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
