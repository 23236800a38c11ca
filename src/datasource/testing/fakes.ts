/** Test doubles for the datasource's Grafana seams: instance settings, a template service with multi-value variables. */
import { DataSourceInstanceSettings, PluginType, ScopedVars, dateTime, TimeRange } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import type { InsightsOptions } from '../types';

export const DS_UID = 'insights';

export function instanceSettings(
  jsonData: InsightsOptions = { proxyUrl: 'http://proxy:3100' }
): DataSourceInstanceSettings<InsightsOptions> {
  // `id` is deprecated and unused by the datasource, so the fake leaves it out.
  return {
    uid: DS_UID,
    name: 'DreamFactory Insights',
    type: 'dreamfactory-insights-datasource',
    url: `/api/datasources/proxy/uid/${DS_UID}`,
    access: 'proxy',
    jsonData,
    readOnly: false,
    meta: {
      id: 'dreamfactory-insights-datasource',
      name: 'DreamFactory Insights',
      type: PluginType.datasource,
    } as DataSourceInstanceSettings['meta'],
  };
}

/**
 * Mimics Grafana's TemplateSrv.replace for `$name` / `${name}`: a format function receives the raw value (an array
 * for multi-value variables), `lucene` quotes and ORs values, otherwise values are comma-joined.
 */
export function fakeTemplateSrv(variables: Record<string, string | string[]>): TemplateSrv {
  const replace = (target = '', _scopedVars?: ScopedVars, format?: string | Function) =>
    target.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced: string | undefined, bare: string | undefined) => {
      const value = variables[(braced ?? bare)!];
      if (value === undefined) {
        return match;
      }
      if (typeof format === 'function') {
        return format(value);
      }
      const values = Array.isArray(value) ? value : [value];
      return format === 'lucene' ? `(${values.map((v) => `"${v}"`).join(' OR ')})` : values.join(',');
    });
  return {
    replace,
    getVariables: () =>
      Object.keys(variables).map((name) => ({ name }) as ReturnType<TemplateSrv['getVariables']>[number]),
    containsTemplate: (target?: string) => Boolean(target && /\$/.test(target)),
    updateTimeRange: () => undefined,
  } as unknown as TemplateSrv;
}

export function range(from = '2026-11-01T00:00:00.000Z', to = '2026-11-02T00:00:00.000Z'): TimeRange {
  const f = dateTime(from);
  const t = dateTime(to);
  return { from: f, to: t, raw: { from: f, to: t } };
}
