import React, { useEffect, useState } from 'react';
import { DataSourcePluginContextProvider, DataSourceSettings, TestDataSourceResponse } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, LoadingPlaceholder, Stack } from '@grafana/ui';
import { selectors } from '../../../src/selectors';
import { bootDatasource, createDatasource, loadDatasourcePlugin, toInstanceSettings } from './plugins';

type Settings = ReturnType<typeof bootDatasource> & { secureJsonData?: Record<string, string> };
type Plugin = Awaited<ReturnType<typeof loadDatasourcePlugin>>;

/**
 * Grafana's datasource settings page, reduced: the plugin's ConfigEditor on the settings object, and "Save & test"
 * (PUT the settings, then `testDatasource()` on a fresh instance) with its result as Grafana's alert shows it.
 */
export function ConfigEditorPage() {
  const [options, setOptions] = useState<Settings>(() => bootDatasource());
  const [plugin, setPlugin] = useState<Plugin | Error>();
  const [result, setResult] = useState<TestDataSourceResponse>();
  const [testing, setTesting] = useState(false);

  useEffect(() => {
    loadDatasourcePlugin().then(setPlugin, (err: Error) => setPlugin(err));
  }, []);

  const saveAndTest = async () => {
    setTesting(true);
    setResult(undefined);
    try {
      const saved = await getBackendSrv().put<{ datasource: Settings }>(`/api/datasources/uid/${options.uid}`, options);
      // As in Grafana: after a save the secrets are only flags (`secureJsonFields`), the typed values are gone.
      setOptions({ ...saved.datasource, secureJsonData: {} });
      const datasource = await createDatasource(saved.datasource);
      setResult(await datasource.testDatasource());
    } catch (err) {
      const error = err as { data?: { message?: string }; message?: string };
      setResult({ status: 'error', message: error.data?.message ?? error.message ?? 'Save failed' });
    } finally {
      setTesting(false);
    }
  };

  if (plugin instanceof Error) {
    return (
      <Alert title="The datasource plugin failed to load" data-testid={selectors.harness.pluginError}>
        {plugin.message}
      </Alert>
    );
  }
  const Editor = plugin?.components.ConfigEditor;
  if (!Editor) {
    return <LoadingPlaceholder text="Loading datasource…" />;
  }
  const details = result?.details as { message?: string } | undefined;
  return (
    <Stack direction="column" gap={2}>
      <DataSourcePluginContextProvider instanceSettings={toInstanceSettings(options)}>
        <Editor options={options as DataSourceSettings} onOptionsChange={(next) => setOptions(next as Settings)} />
      </DataSourcePluginContextProvider>
      <div>
        <Button onClick={saveAndTest} disabled={testing} data-testid={selectors.harness.saveAndTest}>
          Save &amp; test
        </Button>
      </div>
      {result && (
        <div data-testid={selectors.harness.testResult} data-status={result.status}>
          <Alert severity={result.status === 'success' ? 'success' : 'error'} title={result.message}>
            {details?.message}
          </Alert>
        </div>
      )}
    </Stack>
  );
}
