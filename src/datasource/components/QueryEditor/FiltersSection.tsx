import React from 'react';
import { TimeRange } from '@grafana/data';
import { ComboboxOption, InlineField, Input, MultiCombobox } from '@grafana/ui';
import { QueryFilters, StatusClass } from '@shared/query';
import { labels, selectors } from '../../../selectors';
import type { DataSource } from '../../datasource';
import type { VariableKind } from '@shared/datasource-api';
import { STATUS_CLASS_OPTIONS } from './options';
import { useFilterOptions } from './useFilterOptions';

const text = labels.datasource.queryEditor;
const ids = selectors.datasource.queryEditor;

interface Props {
  filters: QueryFilters;
  datasource: DataSource;
  range?: TimeRange;
  /** Status classes filter events only (limit history has no responses). */
  statusClasses?: boolean;
  onChange: (filters: QueryFilters) => void;
}

type ListKey = 'users' | 'services' | 'methods';

const LISTS: Array<{ key: ListKey; kind: VariableKind; label: string; testId: string }> = [
  { key: 'users', kind: 'users', label: text.users, testId: ids.filterUsers },
  { key: 'services', kind: 'services', label: text.services, testId: ids.filterServices },
  { key: 'methods', kind: 'methods', label: text.methods, testId: ids.filterMethods },
];

/** Empty lists are removed rather than saved, so a cleared filter is no filter. */
function withList<K extends keyof QueryFilters>(filters: QueryFilters, key: K, value: QueryFilters[K]): QueryFilters {
  const next = { ...filters, [key]: value };
  if (value === undefined || (Array.isArray(value) && value.length === 0) || value === '') {
    delete next[key];
  }
  return next;
}

function ValuesFilter(props: {
  datasource: DataSource;
  range?: TimeRange;
  kind: VariableKind;
  label: string;
  testId: string;
  value: string[];
  onChange: (values: string[]) => void;
}) {
  const { options, loading, error } = useFilterOptions(props.datasource, props.kind, props.range);
  // Selected values keep their labels (user emails) once the options are loaded; unknown ones show as typed.
  const selected: Array<ComboboxOption<string>> = props.value.map(
    (value) => options.find((option) => option.value === value) ?? { label: value, value }
  );
  return (
    <InlineField
      label={props.label}
      labelWidth={16}
      error={error}
      invalid={Boolean(error)}
      tooltip="Pick values or dashboard variables; * = any"
    >
      <MultiCombobox<string>
        data-testid={props.testId}
        width="auto"
        minWidth={30}
        maxWidth={80}
        loading={loading}
        createCustomValue
        placeholder="any"
        options={options}
        value={selected}
        onChange={(picked) => props.onChange(picked.map((option) => option.value))}
      />
    </InlineField>
  );
}

export function FiltersSection({ filters, datasource, range, statusClasses = true, onChange }: Props) {
  return (
    <>
      {LISTS.map(({ key, kind, label, testId }) => (
        <ValuesFilter
          key={key}
          datasource={datasource}
          range={range}
          kind={kind}
          label={label}
          testId={testId}
          value={filters[key] ?? []}
          onChange={(values) => onChange(withList(filters, key, values))}
        />
      ))}
      {statusClasses && (
        <InlineField label={text.statusClasses} labelWidth={16}>
          <MultiCombobox<StatusClass>
            data-testid={ids.filterStatusClasses}
            width="auto"
            minWidth={30}
            placeholder="any"
            options={STATUS_CLASS_OPTIONS}
            value={filters.statusClasses ?? []}
            onChange={(picked) =>
              onChange(
                withList(
                  filters,
                  'statusClasses',
                  picked.map((option) => option.value)
                )
              )
            }
          />
        </InlineField>
      )}
      <InlineField
        label={text.lucene}
        labelWidth={16}
        grow
        tooltip="Lucene syntax over the events, e.g. event.request.resource:_table*"
      >
        <Input
          key={filters.lucene ?? ''}
          data-testid={ids.filterLucene}
          defaultValue={filters.lucene ?? ''}
          placeholder="event.request.resource:_table*"
          onBlur={(event) => onChange(withList(filters, 'lucene', event.currentTarget.value.trim()))}
        />
      </InlineField>
    </>
  );
}
