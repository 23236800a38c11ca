import React, { useCallback, useMemo, useState } from 'react';
import { Button, Combobox, EmptyState, InlineField, InlineSwitch, LoadingPlaceholder, Stack } from '@grafana/ui';
import type { LimitsApi } from '../../../api/limitsApi';
import { selectors } from '../../../selectors';
import { useInterval } from '../../../hooks/useInterval';
import { useRemote } from '../../../hooks/useRemote';
import { PendingActionModal, type PendingAction } from '../PendingAction';
import { ProxyErrorAlert } from '../ProxyErrorAlert';
import { WriteGuard } from '../WriteGuard';
import { CountersTable } from './CountersTable';
import { toCounterRows, type CounterRow } from './counterRows';

export const AUTO_REFRESH_MS = 10_000;

/** Every counter of DreamFactory's limit store, live: filter by limit, reset one limit's counters or all of them. */
export function LimitCounters({ api }: { api: LimitsApi }) {
  const [limitId, setLimitId] = useState<number | null>(null);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [pending, setPending] = useState<PendingAction>();
  const [actionError, setActionError] = useState<unknown>();
  const limits = useRemote(() => api.list(), api);
  const counters = useRemote(() => api.counters(limitId ?? undefined), `${limitId}`);
  const { reload } = counters;
  useInterval(reload, autoRefresh ? AUTO_REFRESH_MS : null);

  const allLimits = limits.data?.limits;
  const rows = useMemo(() => toCounterRows(counters.data?.counters ?? [], allLimits ?? []), [counters.data, allLimits]);
  const limitOptions = useMemo(() => (allLimits ?? []).map((l) => ({ label: l.name, value: l.id })), [allLimits]);
  const onReset = useCallback(
    (row: CounterRow) =>
      setPending({ kind: 'resetCounter', row: { id: row.limitId, name: row.limitName, eachUser: row.eachUser } }),
    []
  );
  const onConfirm = async (action: PendingAction) => {
    setPending(undefined);
    setActionError(undefined);
    try {
      if (action.kind === 'resetAll') {
        await api.resetAllCounters();
      } else if (action.kind === 'resetCounter') {
        await api.resetCounter(action.row.id);
      }
    } catch (err) {
      setActionError(err);
    }
    await reload();
  };

  return (
    <Stack direction="column" gap={2}>
      <Stack gap={1} alignItems="center" wrap="wrap">
        <InlineField label="Limit">
          <Combobox
            data-testid={selectors.limitCounters.filter}
            options={limitOptions}
            value={limitId}
            isClearable
            placeholder="All limits"
            width={32}
            onChange={(option) => setLimitId(option?.value ?? null)}
          />
        </InlineField>
        <InlineSwitch
          label={`Auto-refresh every ${AUTO_REFRESH_MS / 1000} s`}
          showLabel
          value={autoRefresh}
          onChange={() => setAutoRefresh(!autoRefresh)}
        />
        <Button icon="sync" variant="secondary" data-testid={selectors.limitCounters.refresh} onClick={reload}>
          Refresh
        </Button>
        <WriteGuard>
          <Button
            icon="history"
            variant="destructive"
            data-testid={selectors.limitCounters.resetAll}
            onClick={() => setPending({ kind: 'resetAll' })}
          >
            Reset all
          </Button>
        </WriteGuard>
      </Stack>
      {actionError !== undefined && <ProxyErrorAlert error={actionError} />}
      {counters.error !== undefined && actionError === undefined && <ProxyErrorAlert error={counters.error} />}
      {counters.loading ? (
        <LoadingPlaceholder text="Loading counters…" />
      ) : rows.length === 0 ? (
        counters.error === undefined && (
          <div data-testid={selectors.limitCounters.empty}>
            <EmptyState variant="completed" message="No counters" hideImage>
              No limit has counted a call yet{limitId === null ? '' : ' for this limit'}.
            </EmptyState>
          </div>
        )
      ) : (
        <CountersTable rows={rows} onReset={onReset} />
      )}
      <PendingActionModal pending={pending} onConfirm={onConfirm} onDismiss={() => setPending(undefined)} />
    </Stack>
  );
}
