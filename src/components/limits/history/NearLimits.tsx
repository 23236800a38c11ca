import React, { useMemo } from 'react';
import { Button, EmptyState, InteractiveTable, LoadingPlaceholder, Stack, Text, type Column } from '@grafana/ui';
import type { LimitHistoryApi } from '../../../api/limitHistoryApi';
import { NEAR_LIMIT_USAGE } from '@shared/query';
import { selectors } from '../../../selectors';
import { useInterval } from '../../../hooks/useInterval';
import { useRemote } from '../../../hooks/useRemote';
import { CounterBar } from '../CounterBar';
import { formatClock } from './clock';
import { HistoryNotice } from './HistoryNotice';
import { describeProjection, type NearLimitRow } from './limitHistory';

export const NEAR_REFRESH_MS = 30_000;
const sel = selectors.limits.near;
const percent = Math.round(NEAR_LIMIT_USAGE * 100);

/** Counters at 80 % or more of their limit now, or projected (an estimate) to reach it before their window resets. */
export function NearLimits({ history }: { history: LimitHistoryApi }) {
  const near = useRemote(() => history.nearLimits(), history);
  useInterval(near.reload, NEAR_REFRESH_MS);
  const columns = useMemo<Array<Column<NearLimitRow>>>(
    () => [
      { id: 'limit', header: 'Limit', sortType: 'alphanumeric' },
      { id: 'user', header: 'User', sortType: 'alphanumeric' },
      { id: 'service', header: 'Service', sortType: 'alphanumeric' },
      {
        id: 'usage',
        header: 'Used',
        sortType: 'number',
        cell: ({ row: { original } }) => (
          <CounterBar
            attempts={original.attempts}
            max={original.max}
            label={`${original.limit}: ${original.user ?? 'counter'}`}
          />
        ),
      },
      {
        id: 'tripsAt',
        header: 'Status',
        cell: ({ row: { original } }) => (
          <span data-testid={sel.status(original.key)}>
            {describeProjection(original, (ms) => formatClock(ms)).text}
          </span>
        ),
      },
      {
        id: 'windowEndsBy',
        header: 'Window resets by',
        cell: ({ row: { original } }) => (original.windowEndsBy ? formatClock(original.windowEndsBy) : ''),
      },
    ],
    []
  );
  const data = near.data;
  return (
    <Stack direction="column" gap={2}>
      <Stack gap={1} alignItems="center">
        <Text color="secondary">
          Counters at {percent} % or more of their limit now, or projected to reach it before their window resets.
          {data?.sampledAt ? ` As of the sample at ${formatClock(Date.parse(data.sampledAt))}.` : ''}
        </Text>
        <Button icon="sync" variant="secondary" data-testid={sel.refresh} onClick={near.reload}>
          Refresh
        </Button>
      </Stack>
      <HistoryNotice error={near.error} notices={data?.notices} testId={sel.notice} />
      {data?.projectionMethod && (
        <Text variant="bodySmall" color="secondary">
          {data.projectionMethod}
        </Text>
      )}
      {near.loading ? (
        <LoadingPlaceholder text="Loading counters near their limits…" />
      ) : data && data.rows.length === 0 ? (
        <div data-testid={sel.empty}>
          <EmptyState variant="completed" message="No counter is near its limit" hideImage>
            None is at {percent} % or more of its limit, and none is projected to reach it in its current window.
          </EmptyState>
        </div>
      ) : (
        data && (
          // Rows arrive most urgent first; that order stays until a header is clicked.
          <div data-testid={sel.table}>
            <InteractiveTable columns={columns} data={data.rows} getRowId={(row) => row.key} />
          </div>
        )
      )}
    </Stack>
  );
}
