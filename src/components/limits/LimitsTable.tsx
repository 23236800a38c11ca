import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, IconName } from '@grafana/data';
import { Checkbox, Icon, InteractiveTable, Stack, Switch, Text, Tooltip, useStyles2, type Column } from '@grafana/ui';
import { selectors } from '../../selectors';
import { CounterBar } from './CounterBar';
import type { HistoryMeta } from './history/limitHistory';
import { ProjectionCell } from './history/ProjectionCell';
import { UsageSparkline } from './history/UsageSparkline';
import { WriteGuard } from './WriteGuard';
import { RowActions, type RowAction } from './RowActions';
import type { LimitRow } from './limitRows';

interface Props {
  rows: LimitRow[];
  selected: ReadonlySet<number>;
  onSelect: (ids: number[], selected: boolean) => void;
  onAction: (action: RowAction, row: LimitRow) => void;
  onToggleActive: (row: LimitRow, active: boolean) => void;
  /** The limit history's method and sample time, once loaded. */
  historyMeta?: HistoryMeta;
}

export function LimitsTable({ rows, selected, onSelect, onAction, onToggleActive, historyMeta }: Props) {
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const columns = useMemo<Array<Column<LimitRow>>>(
    () => [
      {
        id: 'select',
        disableGrow: true,
        header: () => (
          <Checkbox
            aria-label="Select all limits"
            data-testid={selectors.limits.list.selectAll}
            value={allSelected}
            onChange={() =>
              onSelect(
                rows.map((r) => r.id),
                !allSelected
              )
            }
          />
        ),
        cell: ({ row: { original } }) => (
          <Checkbox
            aria-label={`Select ${original.name}`}
            data-testid={selectors.limits.list.rowSelect(original.id)}
            value={selected.has(original.id)}
            onChange={() => onSelect([original.id], !selected.has(original.id))}
          />
        ),
      },
      {
        id: 'isActive',
        header: 'Active',
        sortType: 'basic',
        disableGrow: true,
        cell: ({ row: { original } }) => (
          <WriteGuard>
            <Switch
              aria-label={`${original.name} active`}
              data-testid={selectors.limits.list.rowActive(original.id)}
              value={original.isActive}
              onChange={() => onToggleActive(original, !original.isActive)}
            />
          </WriteGuard>
        ),
      },
      {
        id: 'name',
        header: 'Name',
        sortType: 'alphanumeric',
        cell: ({ row: { original } }) => <NameCell row={original} />,
      },
      { id: 'typeLabel', header: 'Type', sortType: 'alphanumeric' },
      {
        id: 'ratePerSecond',
        header: 'Rate',
        sortType: 'number',
        cell: ({ row: { original } }) => <NoWrap text={original.rateText} />,
      },
      {
        id: 'usage',
        header: 'Counter',
        sortType: 'number',
        cell: ({ row: { original } }) => <CounterCell row={original} />,
      },
      {
        id: 'history',
        header: 'Last 24 h',
        cell: ({ row: { original } }) =>
          original.history ? (
            <UsageSparkline
              points={original.history.usage}
              name={original.name}
              testId={selectors.limits.list.sparkline(original.id)}
            />
          ) : null,
      },
      {
        id: 'trips',
        header: 'Trips (7 d)',
        sortType: 'number',
        cell: ({ row: { original } }) =>
          original.history ? (
            <span data-testid={selectors.limits.list.trips(original.id)}>{original.trips}</span>
          ) : null,
      },
      {
        id: 'projection',
        header: 'This window',
        cell: ({ row: { original } }) =>
          original.history ? (
            <ProjectionCell
              forecast={original.history.forecast}
              method={historyMeta?.projectionMethod}
              sampledAt={historyMeta?.sampledAt}
              testId={selectors.limits.list.projection(original.id)}
            />
          ) : null,
      },
      { id: 'userName', header: 'User', sortType: 'alphanumeric' },
      { id: 'roleName', header: 'Role', sortType: 'alphanumeric' },
      { id: 'serviceName', header: 'Service', sortType: 'alphanumeric' },
      { id: 'endpoint', header: 'Endpoint', sortType: 'alphanumeric' },
      {
        id: 'verb',
        header: 'Verb',
        sortType: 'alphanumeric',
        cell: ({ row: { original } }) => <NoWrap text={original.verb} />,
      },
      {
        id: 'actions',
        disableGrow: true,
        cell: ({ row: { original } }) => <RowActions row={original} onAction={onAction} />,
      },
    ],
    [rows, selected, allSelected, onSelect, onAction, onToggleActive, historyMeta]
  );
  return (
    <div data-testid={selectors.limits.list.table}>
      <InteractiveTable columns={columns} data={rows} getRowId={(row) => String(row.id)} initialSortBy={INITIAL_SORT} />
    </div>
  );
}

const INITIAL_SORT = [{ id: 'name', desc: false }];

function NameCell({ row }: { row: LimitRow }) {
  const styles = useStyles2(getStyles);
  return (
    <Stack gap={1} alignItems="center">
      <span data-testid={selectors.limits.list.rowName(row.id)}>{row.name}</span>
      <Hint
        items={row.warnings}
        icon="exclamation-triangle"
        className={styles.warning}
        testId={selectors.limits.list.rowWarnings(row.id)}
      />
      <Hint
        items={row.notes}
        icon="info-circle"
        className={styles.note}
        testId={selectors.limits.list.rowNotes(row.id)}
      />
    </Stack>
  );
}

interface HintProps {
  items: string[];
  icon: IconName;
  className: string;
  testId: string;
}

function Hint({ items, icon, className, testId }: HintProps) {
  if (items.length === 0) {
    return null;
  }
  return (
    <Tooltip content={<WarningList warnings={items} />}>
      <span data-testid={testId} aria-label={items.join(' ')}>
        <Icon name={icon} className={className} />
      </span>
    </Tooltip>
  );
}

/** Short values (`1000 / hour`, `All verbs`) read badly when wrapped. */
function NoWrap({ text }: { text: string }) {
  return <span style={{ whiteSpace: 'nowrap' }}>{text}</span>;
}

function WarningList({ warnings }: { warnings: string[] }) {
  return (
    <ul style={{ paddingLeft: 16 }}>
      {warnings.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
}

function CounterCell({ row }: { row: LimitRow }) {
  const { counter } = row;
  const perUser = counter.perUser;
  return (
    <Stack direction="column" gap={0}>
      <CounterBar
        attempts={counter.attempts}
        max={counter.max}
        label={perUser ? `${row.name}: busiest user's counter` : `${row.name} counter`}
        caption={perUser ? 'per user (busiest)' : undefined}
        testId={selectors.limits.list.counterBar(row.id)}
      />
      {perUser && (
        <Text variant="bodySmall" color="secondary">
          {perUser.users} {perUser.users === 1 ? 'user' : 'users'}, {perUser.totalAttempts} calls in total
        </Text>
      )}
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  warning: css({ color: theme.colors.warning.text }),
  note: css({ color: theme.colors.info.text }),
});
