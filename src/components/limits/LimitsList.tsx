import React, { useCallback, useMemo, useState } from 'react';
import { Alert, Button, EmptyState, FilterInput, LinkButton, LoadingPlaceholder, Stack } from '@grafana/ui';
import type { BulkAction, BulkResponse } from '@shared/limits-api';
import type { LimitsApi } from '../../api/limitsApi';
import type { LimitHistoryApi } from '../../api/limitHistoryApi';
import { limitCreateUrl } from '../../constants';
import { selectors } from '../../selectors';
import { useRemote } from '../../hooks/useRemote';
import { BulkToolbar } from './BulkToolbar';
import { LimitsTable } from './LimitsTable';
import { PendingActionModal, type PendingAction } from './PendingAction';
import { ProxyErrorAlert } from './ProxyErrorAlert';
import { WriteGuard } from './WriteGuard';
import { filterRows, toLimitRows, type LimitRow } from './limitRows';
import { HistoryNotice } from './history/HistoryNotice';
import type { RowAction } from './RowActions';

export function LimitsList({ api, history }: { api: LimitsApi; history?: LimitHistoryApi }) {
  const remote = useRemote(() => api.list(), api);
  const limitCount = remote.data?.limits.length;
  // The history asks for one usage series per limit, so it follows the list (and reloads with it).
  const overview = useRemote(
    history && limitCount !== undefined ? () => history.overview(limitCount) : undefined,
    remote.data
  );
  const { reload } = remote;
  const rows = useMemo(() => toLimitRows(remote.data?.limits ?? [], overview.data), [remote.data, overview.data]);
  const [search, setSearch] = useState('');
  const visible = useMemo(() => filterRows(rows, search), [rows, search]);
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<number>>(new Set());
  const [pending, setPending] = useState<PendingAction>();
  const [actionError, setActionError] = useState<unknown>();
  const [bulkFailures, setBulkFailures] = useState<BulkResponse['failed']>([]);

  // Limits deleted elsewhere drop out of the selection on reload.
  const selected = useMemo(
    () => new Set(rows.filter((r) => selectedIds.has(r.id)).map((r) => r.id)),
    [rows, selectedIds]
  );
  const selectedRows = rows.filter((r) => selected.has(r.id));

  const run = useCallback(
    async (write: () => Promise<unknown>) => {
      setActionError(undefined);
      setBulkFailures([]);
      try {
        await write();
      } catch (err) {
        setActionError(err);
      }
      await reload();
    },
    [reload]
  );

  const runBulk = useCallback(
    (action: BulkAction, ids: number[]) =>
      run(async () => {
        const result = await api.bulk(action, ids);
        setBulkFailures(result.failed);
        setSelectedIds(new Set(result.failed.map((f) => f.id)));
      }),
    [api, run]
  );

  const onSelect = useCallback((ids: number[], on: boolean) => {
    setSelectedIds((previous) => {
      const next = new Set(previous);
      ids.forEach((id) => (on ? next.add(id) : next.delete(id)));
      return next;
    });
  }, []);
  const onAction = useCallback((kind: RowAction, row: LimitRow) => setPending({ kind, row }), []);
  const onToggleActive = useCallback(
    (row: LimitRow, active: boolean) => run(() => api.update(row.id, { is_active: active })),
    [api, run]
  );
  const onBulk = (action: BulkAction) => {
    if (action === 'delete' || action === 'resetCounters') {
      setPending({ kind: 'bulk', action, rows: selectedRows });
    } else {
      runBulk(action, [...selected]);
    }
  };
  const onConfirm = (action: PendingAction) => {
    setPending(undefined);
    if (action.kind === 'delete') {
      run(() => api.remove(action.row.id));
    } else if (action.kind === 'resetCounter') {
      run(() => api.resetCounter(action.row.id));
    } else if (action.kind === 'bulk') {
      runBulk(
        action.action,
        action.rows.map((r) => r.id)
      );
    }
  };

  const nameOf = (id: number) => rows.find((r) => r.id === id)?.name ?? `#${id}`;

  return (
    <Stack direction="column" gap={2}>
      <Stack gap={1} alignItems="center">
        <FilterInput
          data-testid={selectors.limits.list.search}
          placeholder="Search by name, type, user, role, service or endpoint"
          value={search}
          onChange={setSearch}
        />
        <Button icon="sync" variant="secondary" data-testid={selectors.limits.list.refresh} onClick={reload}>
          Refresh
        </Button>
        <WriteGuard>
          <LinkButton icon="plus" href={limitCreateUrl()} data-testid={selectors.limits.list.newButton}>
            New limit
          </LinkButton>
        </WriteGuard>
      </Stack>
      {actionError !== undefined && <ProxyErrorAlert error={actionError} />}
      {bulkFailures.length > 0 && (
        <Alert
          severity="warning"
          title="DreamFactory refused some of the changes"
          data-testid={selectors.limits.bulk.result}
        >
          <ul>
            {bulkFailures.map((f) => (
              <li key={f.id}>
                {nameOf(f.id)}: {f.error}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {selected.size > 0 && (
        <BulkToolbar count={selected.size} onAction={onBulk} onClear={() => setSelectedIds(new Set())} />
      )}
      {remote.error !== undefined && actionError === undefined && <ProxyErrorAlert error={remote.error} />}
      {history && (
        <HistoryNotice
          error={overview.error}
          notices={overview.data?.notices}
          testId={selectors.limits.list.historyNotice}
        />
      )}
      {remote.loading ? (
        <LoadingPlaceholder text="Loading limits…" />
      ) : rows.length === 0 && remote.error === undefined ? (
        <div data-testid={selectors.limits.list.empty}>
          <EmptyState variant="call-to-action" message="No limits yet" hideImage>
            DreamFactory has no API limits. Create one to cap how often an instance, a user, a role, a service or an
            endpoint may be called.
          </EmptyState>
        </div>
      ) : visible.length === 0 && rows.length > 0 ? (
        <div data-testid={selectors.limits.list.empty}>
          <EmptyState variant="not-found" message={`No limit matches "${search}"`} hideImage />
        </div>
      ) : (
        rows.length > 0 && (
          <LimitsTable
            rows={visible}
            selected={selected}
            onSelect={onSelect}
            onAction={onAction}
            onToggleActive={onToggleActive}
            historyMeta={overview.data}
          />
        )
      )}
      <PendingActionModal pending={pending} onConfirm={onConfirm} onDismiss={() => setPending(undefined)} />
    </Stack>
  );
}
