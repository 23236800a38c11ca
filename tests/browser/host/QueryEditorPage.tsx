import React, { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { from, lastValueFrom } from 'rxjs';
import {
  CoreApp,
  DataFrame,
  DataQuery,
  DataQueryRequest,
  DataSourceApi,
  DataSourcePluginContextProvider,
  dateTime,
  getFieldDisplayName,
  toDataFrame,
} from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { Alert, Button, LoadingPlaceholder, Stack } from '@grafana/ui';
import { selectors } from '../../../src/selectors';
import { bootDatasource, toInstanceSettings } from './plugins';

const PREVIEW_ROWS = 50;

/**
 * Explore or a panel editor, reduced: the plugin's QueryEditor, "Run query" through `ds.query()`, and the frames as
 * plain tables. `?app=dashboard` renders it as a panel editor would (CoreApp.Dashboard).
 */
export function QueryEditorPage() {
  const [params] = useSearchParams();
  const app = params.get('app') === CoreApp.Dashboard ? CoreApp.Dashboard : CoreApp.Explore;
  const [datasource, setDatasource] = useState<DataSourceApi | Error>();
  const [query, setQuery] = useState<DataQuery>({ refId: 'A' });
  const latest = useRef(query);
  const [frames, setFrames] = useState<DataFrame[]>();
  const [error, setError] = useState<string>();
  const [running, setRunning] = useState(false);
  const range = useMemo(() => {
    const to = dateTime();
    return { from: dateTime(to).subtract(7, 'days'), to, raw: { from: 'now-7d', to: 'now' } };
  }, []);

  useEffect(() => {
    getDataSourceSrv()
      .get(bootDatasource().uid)
      .then(
        (ds) => {
          const initial = { ...ds.getDefaultQuery?.(app), refId: 'A' } as DataQuery;
          latest.current = initial;
          setQuery(initial);
          setDatasource(ds);
        },
        (err: Error) => setDatasource(err)
      );
  }, [app]);

  const onChange = (next: DataQuery) => {
    latest.current = next;
    setQuery(next);
  };

  const run = async () => {
    if (!datasource || datasource instanceof Error) {
      return;
    }
    setRunning(true);
    setError(undefined);
    setFrames(undefined);
    const request = {
      requestId: 'harness-A',
      app,
      interval: '1m',
      intervalMs: 60_000,
      maxDataPoints: 500,
      range,
      scopedVars: {},
      targets: [latest.current],
      timezone: 'utc',
      startTime: Date.now(),
    } as DataQueryRequest;
    try {
      const response = await lastValueFrom(from(datasource.query(request)));
      setFrames(response.data.map((frame) => toDataFrame(frame)));
      const errors = response.errors ?? (response.error ? [response.error] : []);
      setError(errors.length ? errors.map((e) => e.message).join('; ') : undefined);
    } catch (err) {
      setFrames(undefined);
      setError((err as { data?: { message?: string }; message?: string }).data?.message ?? (err as Error).message);
    } finally {
      setRunning(false);
    }
  };

  if (datasource instanceof Error) {
    return (
      <Alert title="The datasource failed to load" data-testid={selectors.harness.pluginError}>
        {datasource.message}
      </Alert>
    );
  }
  const Editor = datasource?.components?.QueryEditor;
  if (!datasource || !Editor) {
    return <LoadingPlaceholder text="Loading datasource…" />;
  }
  return (
    <Stack direction="column" gap={2}>
      <DataSourcePluginContextProvider instanceSettings={toInstanceSettings(bootDatasource())}>
        <Editor datasource={datasource} query={query} onChange={onChange} onRunQuery={run} range={range} app={app} />
      </DataSourcePluginContextProvider>
      <div>
        <Button onClick={run} disabled={running} data-testid={selectors.harness.runQuery}>
          Run query
        </Button>
      </div>
      {error && <Alert title={error} data-testid={selectors.harness.previewError} />}
      <div data-testid={selectors.harness.preview} data-state={running ? 'running' : frames || error ? 'done' : 'idle'}>
        {frames?.map((frame, index) => (
          <FrameTable key={index} frame={frame} />
        ))}
      </div>
    </Stack>
  );
}

function FrameTable({ frame }: { frame: DataFrame }) {
  const rows = Math.min(frame.length, PREVIEW_ROWS);
  return (
    <table data-testid={selectors.harness.previewFrame} data-rows={frame.length}>
      <caption>
        {frame.name ?? frame.refId} — {frame.length} rows
      </caption>
      <thead>
        <tr>
          {frame.fields.map((field) => (
            <th key={field.name}>{getFieldDisplayName(field, frame)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: rows }, (_, row) => (
          <tr key={row}>
            {frame.fields.map((field) => (
              <td key={field.name}>{formatValue(field.values[row])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function formatValue(value: unknown): string {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value ?? '');
}
