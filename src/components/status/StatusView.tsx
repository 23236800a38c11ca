import React, { useEffect, useMemo } from 'react';
import { Alert, LoadingPlaceholder, Stack } from '@grafana/ui';
import { useRemote } from '../../hooks/useRemote';
import { labels, selectors } from '../../selectors';
import { describeProxyFailure } from '../../api/proxyClient';
import { DreamFactoryPanel } from './DreamFactoryPanel';
import { ElasticsearchPanel } from './ElasticsearchPanel';
import { LimitHistoryPanel } from './LimitHistoryPanel';
import { noRecentEvents } from './format';
import { NoEventsHint } from './NoEventsHint';
import { OverviewTiles } from './OverviewTiles';
import { SetupResultView } from './SetupResultView';
import { SourcesTable } from './SourcesTable';
import { SplunkPanel } from './SplunkPanel';
import { StatusActions } from './StatusActions';
import type { StatusApi } from '../../api/statusApi';

export const STATUS_REFRESH_MS = 10_000;

/** The pipeline's health, refreshed every 10 s; keeps showing the last answer (marked stale) when a refresh fails. */
export function StatusView({ api, canRun }: { api: StatusApi; canRun: boolean }) {
  const { data: status, error, loading, reload } = useRemote(() => api.status(), api);

  useEffect(() => {
    const timer = setInterval(() => void reload(), STATUS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const now = useMemo(() => (status ? new Date(status.generatedAt) : new Date()), [status]);

  if (loading && !status) {
    return <LoadingPlaceholder text="Loading pipeline status…" />;
  }
  if (!status) {
    const failure = describeProxyFailure(error);
    return (
      <Alert severity="error" title={failure.title} data-testid={selectors.status.error}>
        {failure.message}
      </Alert>
    );
  }
  return (
    <Stack direction="column" gap={3}>
      {error !== undefined && (
        <Alert severity="warning" title={labels.status.stale} data-testid={selectors.status.staleWarning}>
          {describeProxyFailure(error).message} (status from {now.toLocaleTimeString()})
        </Alert>
      )}
      <OverviewTiles status={status} />
      {noRecentEvents(status) && <NoEventsHint listeners={status.ingest.sources} />}
      <StatusActions api={api} canRun={canRun} onDone={() => void reload()} />
      <SourcesTable ingest={status.ingest} now={now} />
      <ElasticsearchPanel es={status.elasticsearch} />
      {status.splunk && <SplunkPanel splunk={status.splunk} now={now} />}
      <DreamFactoryPanel df={status.dreamfactory} />
      {status.limitHistory && <LimitHistoryPanel history={status.limitHistory} now={now} />}
      {status.lastSetup && <SetupResultView result={status.lastSetup} title="Last setup run by the proxy" />}
    </Stack>
  );
}
