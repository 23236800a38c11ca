import { useEffect, useState } from 'react';
import { TimeRange } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import type { ComboboxOption } from '@grafana/ui';
import type { DataSource } from '../../datasource';
import type { VariableKind } from '@shared/datasource-api';

export interface FilterOptions {
  options: Array<ComboboxOption<string>>;
  loading: boolean;
  error?: string;
}

/** Dashboard variables first (so `$user` can be picked), then the values seen in the range, from the proxy. */
export function useFilterOptions(datasource: DataSource, kind: VariableKind, range?: TimeRange): FilterOptions {
  const from = range?.from.valueOf();
  const to = range?.to.valueOf();
  // Loading is derived: the options on hand were loaded for another kind or range.
  const key = `${kind}|${from}|${to}`;
  const [state, setState] = useState<{ key?: string; options: FilterOptions['options']; error?: string }>({
    options: [],
  });
  useEffect(() => {
    let current = true;
    const variables = getTemplateSrv()
      .getVariables()
      .map((variable) => ({
        label: `$${variable.name}`,
        value: `$${variable.name}`,
        description: 'Dashboard variable',
      }));
    datasource
      .variableValues(kind, range)
      .then(
        (values) =>
          current &&
          setState({ key, options: [...variables, ...values.map(({ text, value }) => ({ label: text, value }))] })
      )
      .catch((err: Error) => current && setState({ key, options: variables, error: err.message }));
    return () => {
      current = false;
    };
    // The range object changes identity on every render; its bounds are what matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [datasource, kind, key]);
  return { options: state.options, loading: state.key !== key, error: state.error };
}
