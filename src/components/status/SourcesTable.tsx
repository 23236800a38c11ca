import React, { useMemo } from 'react';
import { Alert, Badge, InteractiveTable, Stack, Text, type Column } from '@grafana/ui';
import { selectors } from '../../selectors';
import { kernelDropAdvice, type IngestStatus, type SourceStatus } from '@shared/status-api';
import { activityBadge, formatAge, formatRate } from './format';

type DropRow = IngestStatus['drops'][number];

/** `0.0.0.0:12201`, `[::]:12201`, `127.0.0.1:3100/gelf`: where the source is bound. */
function listenAddress(s: SourceStatus): string {
  return `${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}${s.path ?? ''}`;
}

/** Per source: where it listens, what DreamFactory should be set to, rates, totals and the last event. */
export function SourcesTable({ ingest, now }: { ingest: IngestStatus; now: Date }) {
  const columns = useMemo<Array<Column<SourceStatus>>>(
    () => [
      {
        id: 'source',
        header: 'Source',
        cell: ({ row: { original } }) => <span data-testid={selectors.status.source(original.source)}>{original.source}</span>,
      },
      {
        id: 'enabled',
        header: 'Listener',
        cell: ({ row: { original: s } }) => (
          <span data-testid={selectors.status.sourceListener(s.source)}>
            {s.enabled ? `${s.transport.toUpperCase()} ${listenAddress(s)}` : `${s.transport.toUpperCase()} (not listening)`}
          </span>
        ),
      },
      {
        id: 'activity',
        header: 'State',
        cell: ({ row: { original: s } }) => {
          const badge = activityBadge(s.activity, s.lastReceivedAt);
          return <Badge text={badge.text} color={badge.color} data-testid={selectors.status.sourceActivity(s.source)} />;
        },
      },
      { id: 'dreamFactoryProtocol', header: 'DreamFactory protocol', cell: ({ row: { original } }) => original.dreamFactoryProtocol ?? '—' },
      { id: 'rate1m', header: '1 min', cell: ({ row: { original } }) => formatRate(original.rate1m) },
      { id: 'rate5m', header: '5 min', cell: ({ row: { original } }) => formatRate(original.rate5m) },
      { id: 'rate15m', header: '15 min', cell: ({ row: { original } }) => formatRate(original.rate15m) },
      { id: 'received', header: 'Received', sortType: 'number' },
      { id: 'dropped', header: 'Dropped', sortType: 'number' },
      { id: 'lastEventAt', header: 'Last event', cell: ({ row: { original } }) => formatAge(original.lastEventAt, now) },
    ],
    [now]
  );
  const dropColumns = useMemo<Array<Column<DropRow>>>(
    () => [
      { id: 'source', header: 'Source' },
      { id: 'reason', header: 'Reason' },
      { id: 'count', header: 'Dropped', sortType: 'number' },
    ],
    []
  );
  return (
    <Stack direction="column" gap={1}>
      <Text element="h3">Ingest</Text>
      <Text color="secondary">
        {ingest.indexed.toLocaleString()} events indexed since start, {ingest.queue.events.toLocaleString()} waiting in the disk queue
        {ingest.deadLettered > 0 ? `, ${ingest.deadLettered.toLocaleString()} rejected by Elasticsearch (dead-letter index)` : ''}.
      </Text>
      {ingest.sources
        .filter((s) => (s.kernelDropsLastMinute ?? 0) > 0)
        .map((s) => (
          <Alert key={s.source} severity="warning" title={`${s.source}: datagrams lost in the kernel`} data-testid={selectors.status.kernelDrops(s.source)}>
            {kernelDropAdvice(s.kernelDropsLastMinute ?? 0, s.kernelDrops ?? 0)}
          </Alert>
        ))}
      <div data-testid={selectors.status.sources}>
        <InteractiveTable columns={columns} data={ingest.sources} getRowId={(row) => row.source} />
      </div>
      <div data-testid={selectors.status.drops}>
        {ingest.drops.length === 0 ? (
          <Text color="secondary">No messages dropped since start.</Text>
        ) : (
          <InteractiveTable columns={dropColumns} data={ingest.drops} getRowId={(row) => `${row.source}/${row.reason}`} />
        )}
      </div>
    </Stack>
  );
}
