import React, { useMemo } from 'react';
import { Combobox, Field, type ComboboxOption } from '@grafana/ui';
import type { DirectoryKind } from '@shared/limits-api';
import { describeFailure, type LimitsApi } from '../../../api/limitsApi';
import { useRemote } from '../../../hooks/useRemote';

interface Props {
  api: LimitsApi;
  kind: DirectoryKind;
  label: string;
  description?: React.ReactNode;
  testId: string;
  value: number | null;
  onChange: (id: number | null) => void;
  error?: string;
}

/** Picks a DreamFactory user, role or service by name; the relay's directory feeds it. */
export function DirectoryPicker({ api, kind, label, description, testId, value, onChange, error }: Props) {
  const directory = useRemote(() => api.directory(kind), api);
  const options = useMemo<Array<ComboboxOption<number>>>(() => {
    const entries = (directory.data?.entries ?? []).map((e) => ({
      label: e.label,
      value: e.id,
      description: e.detail,
    }));
    // Keep a stored id visible even if DreamFactory no longer lists it.
    if (value !== null && !entries.some((e) => e.value === value)) {
      entries.push({ label: `#${value}`, value, description: 'Not found in DreamFactory' });
    }
    return entries;
  }, [directory.data, value]);
  const loadError =
    directory.error === undefined ? undefined : `Could not load ${kind}: ${describeFailure(directory.error).message}`;
  return (
    <Field label={label} description={description} invalid={Boolean(error ?? loadError)} error={error ?? loadError}>
      <Combobox
        data-testid={testId}
        options={options}
        value={value}
        loading={directory.loading}
        isClearable
        placeholder={`Choose a ${kind.replace(/s$/, '')}`}
        onChange={(option) => onChange(option?.value ?? null)}
      />
    </Field>
  );
}
