import { useMemo } from 'react';
import { usePluginContext } from '@grafana/data';
import { findInsightsDatasource } from '../api/insightsDatasources';
import { datasourceProxyUrl, ProxyClient } from '../api/proxyClient';
import type { AppSettings } from '../types';

export function useAppSettings(): AppSettings {
  return usePluginContext<AppSettings>()?.meta.jsonData ?? {};
}

/** The proxy client of the app's Insights datasource; undefined when no Insights datasource exists. */
export function useAppProxyClient(): ProxyClient | undefined {
  const preferredUid = useAppSettings().datasourceUid;
  return useMemo(() => {
    const datasource = safeFindDatasource(preferredUid);
    return datasource ? new ProxyClient(datasourceProxyUrl(datasource.uid), { editorWrites: true }) : undefined;
  }, [preferredUid]);
}

function safeFindDatasource(preferredUid?: string) {
  try {
    return findInsightsDatasource(preferredUid);
  } catch {
    // Grafana's datasource service is not up (only outside a running Grafana): treat it as "none configured".
    return undefined;
  }
}
