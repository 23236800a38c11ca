/**
 * Loads the built plugins the way Grafana does: the app from its settings' `module`, the nested datasource from its
 * instance settings' `meta.module`; instances get `meta` and `components` as Grafana's DatasourceSrv sets them.
 */
import type {
  AppPlugin,
  AppPluginMeta,
  DataSourceApi,
  DataSourceInstanceSettings,
  DataSourcePlugin,
  DataSourceSettings,
} from '@grafana/data';
import { config, getBackendSrv, type DataSourceSrv } from '@grafana/runtime';
import { importPluginModule } from './amd-loader';

export const APP_ID = 'dreamfactory-insights-app';

type AnyDataSourcePlugin = DataSourcePlugin<DataSourceApi>;

/** The datasource settings object from boot data (what Grafana gives the browser: no secrets). */
export function bootDatasource(): DataSourceSettings & { meta: DataSourceInstanceSettings['meta'] } {
  const list = Object.values(config.datasources) as unknown as Array<
    DataSourceSettings & { meta: DataSourceInstanceSettings['meta'] }
  >;
  if (!list[0]) {
    throw new Error('The harness page has no datasource in its boot data');
  }
  return list[0];
}

export function toInstanceSettings(
  settings: DataSourceSettings & { meta: DataSourceInstanceSettings['meta'] }
): DataSourceInstanceSettings {
  return {
    id: settings.id,
    uid: settings.uid,
    type: settings.type,
    name: settings.name,
    meta: settings.meta,
    url: settings.url,
    access: 'proxy',
    jsonData: settings.jsonData,
    readOnly: false,
    isDefault: true,
  } as DataSourceInstanceSettings;
}

let datasourcePlugin: Promise<AnyDataSourcePlugin> | undefined;

export function loadDatasourcePlugin(): Promise<AnyDataSourcePlugin> {
  const module = String(bootDatasource().meta.module);
  datasourcePlugin ??= importPluginModule<{ plugin: AnyDataSourcePlugin }>(module).then((m) => m.plugin);
  return datasourcePlugin;
}

export async function createDatasource(settings = bootDatasource()): Promise<DataSourceApi> {
  const plugin = await loadDatasourcePlugin();
  const instanceSettings = toInstanceSettings(settings);
  const instance = new plugin.DataSourceClass(instanceSettings);
  instance.meta = instanceSettings.meta;
  instance.components = plugin.components;
  return instance;
}

let app: Promise<{ plugin: AppPlugin; meta: AppPluginMeta }> | undefined;

export function loadApp(): Promise<{ plugin: AppPlugin; meta: AppPluginMeta }> {
  app ??= importApp();
  return app;
}

async function importApp(): Promise<{ plugin: AppPlugin; meta: AppPluginMeta }> {
  const meta = await getBackendSrv().get<AppPluginMeta & { module: string }>(`/api/plugins/${APP_ID}/settings`);
  const { plugin } = await importPluginModule<{ plugin: AppPlugin }>(meta.module);
  plugin.init(meta);
  plugin.meta = meta;
  return { plugin, meta };
}

/** Grafana's DatasourceSrv for the one Insights datasource the harness has. */
export function createDataSourceSrv(): DataSourceSrv {
  const settings = toInstanceSettings(bootDatasource());
  let instance: Promise<DataSourceApi> | undefined;
  const matches = (ref: unknown) =>
    ref === undefined ||
    ref === null ||
    ref === settings.uid ||
    ref === settings.name ||
    (typeof ref === 'object' && (ref as { uid?: string }).uid === settings.uid);
  const srv: Partial<DataSourceSrv> = {
    get: (ref) => {
      if (!matches(ref)) {
        return Promise.reject(new Error(`Datasource ${JSON.stringify(ref)} was not found`));
      }
      instance ??= createDatasource();
      return instance;
    },
    getList: (filters = {}) => (!filters.type || filters.type === settings.type ? [settings] : []),
    getInstanceSettings: (ref) => (matches(ref) ? settings : undefined),
    reload: () => {
      instance = undefined;
    },
  };
  return srv as DataSourceSrv;
}
