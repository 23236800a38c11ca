import React from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { LoadingPlaceholder } from '@grafana/ui';
import type { LimitsApi } from '../../api/limitsApi';
import { limitsListUrl } from '../../constants';
import { useRemote } from '../../hooks/useRemote';
import { LimitForm } from './form/LimitForm';
import { ProxyErrorAlert } from './ProxyErrorAlert';

/** Create (no `:id` in the route) or edit a limit; the list of all limits feeds the hierarchy warnings. */
export function LimitEditor({ api }: { api: LimitsApi }) {
  const { id } = useParams();
  const navigate = useNavigate();
  const limitId = id === undefined ? undefined : Number(id);
  const all = useRemote(() => api.list(), api);
  const stored = useRemote(limitId === undefined ? undefined : () => api.get(limitId), `${limitId}`);
  const backToList = () => navigate(limitsListUrl());

  if (limitId !== undefined && !Number.isInteger(limitId)) {
    return <ProxyErrorAlert error={new Error(`"${id}" is not a limit id`)} />;
  }
  if (stored.error !== undefined) {
    return <ProxyErrorAlert error={stored.error} />;
  }
  if (all.loading || stored.loading) {
    return <LoadingPlaceholder text="Loading limit…" />;
  }
  return (
    <>
      {/* Without the list the form still works; it just cannot warn about broader limits. */}
      {all.error !== undefined && <ProxyErrorAlert error={all.error} />}
      <LimitForm
        api={api}
        limit={stored.data}
        allLimits={all.data?.limits ?? []}
        onSaved={backToList}
        onCancel={backToList}
      />
    </>
  );
}
