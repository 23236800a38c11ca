import React, { useMemo } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { InlineField, RadioButtonGroup, Stack, Text } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';
import { InsightsQuery, QueryType } from '@shared/query';
import { migrate } from '../../migrate';
import type { DataSource } from '../../datasource';
import type { InsightsOptions } from '../../types';
import { ActivitySection } from './ActivitySection';
import { changeQueryType, isEventQuery, takesFilters } from './editorState';
import { FiltersSection } from './FiltersSection';
import { LimitCountersSection, LimitsSection } from './LimitsSection';
import { LimitForecastSection } from './LimitForecastSection';
import { LimitTripsSection } from './LimitTripsSection';
import { LimitUsageSection } from './LimitUsageSection';
import { LogsSection } from './LogsSection';
import { QUERY_TYPE_OPTIONS } from './options';
import { TimeseriesSection } from './TimeseriesSection';

type Props = QueryEditorProps<DataSource, InsightsQuery, InsightsOptions>;

const ids = selectors.datasource.queryEditor;

export function QueryEditor({ query: saved, datasource, range, onChange, onRunQuery }: Props) {
  // Saved queries of any age are shown (and written back on the first edit) in the current model.
  const query = useMemo(() => migrate(saved), [saved]);
  const update = (next: InsightsQuery) => {
    // Edits commit on discrete events (click, pick, blur); a blur without a change must not re-run the panel.
    if (JSON.stringify(next) !== JSON.stringify(query)) {
      onChange(next);
      onRunQuery();
    }
  };

  return (
    <Stack direction="column" gap={1} data-testid={ids.container}>
      <InlineField label={labels.datasource.queryEditor.queryType} labelWidth={16} data-testid={ids.queryType}>
        <RadioButtonGroup<QueryType>
          options={QUERY_TYPE_OPTIONS}
          value={query.queryType}
          onChange={(queryType) => update(changeQueryType(query, queryType))}
        />
      </InlineField>
      <TypeSection query={query} onChange={update} />
      {takesFilters(query) && (
        <>
          <Text variant="h6">{labels.datasource.queryEditor.filters}</Text>
          <FiltersSection
            filters={query.filters ?? {}}
            datasource={datasource}
            range={range}
            statusClasses={isEventQuery(query)}
            onChange={(filters) => update({ ...query, filters })}
          />
        </>
      )}
    </Stack>
  );
}

function TypeSection({ query, onChange }: { query: InsightsQuery; onChange: (query: InsightsQuery) => void }) {
  switch (query.queryType) {
    case 'activity':
      return <ActivitySection query={query} onChange={onChange} />;
    case 'timeseries':
      return <TimeseriesSection query={query} onChange={onChange} />;
    case 'logs':
      return <LogsSection query={query} onChange={onChange} />;
    case 'limits':
      return <LimitsSection query={query} onChange={onChange} />;
    case 'limitCounters':
      return <LimitCountersSection query={query} onChange={onChange} />;
    case 'limitUsage':
      return <LimitUsageSection query={query} onChange={onChange} />;
    case 'limitTrips':
      return <LimitTripsSection query={query} onChange={onChange} />;
    case 'limitForecast':
      return <LimitForecastSection query={query} onChange={onChange} />;
    case 'users':
      return null;
  }
}
