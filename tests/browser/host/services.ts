/** Installs the Grafana runtime services a plugin reaches for: backend, datasources, templates, app events. */
import { EventBusSrv } from '@grafana/data';
import { setAppEvents, setBackendSrv, setDataSourceSrv, setTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import { createBackendSrv } from './backend-srv';
import { createDataSourceSrv } from './plugins';

/** No dashboard, so no variables: interpolation returns its input, as Grafana's does for unknown variables. */
const templateSrv: TemplateSrv = {
  getVariables: () => [],
  replace: (target?: string) => target ?? '',
  containsTemplate: () => false,
  updateTimeRange: () => undefined,
};

export const appEvents = new EventBusSrv();

export function installRuntime(): void {
  setBackendSrv(createBackendSrv());
  setDataSourceSrv(createDataSourceSrv());
  setTemplateSrv(templateSrv);
  setAppEvents(appEvents);
}
