import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor/QueryEditor';
import { DataSource } from './datasource';
import type { InsightsQuery } from '@shared/query';
import type { InsightsOptions, InsightsSecureJsonData } from './types';

// Template variables are declared by the datasource itself (`variables`, see variables.ts), as Grafana 12 expects.
export const plugin = new DataSourcePlugin<DataSource, InsightsQuery, InsightsOptions, InsightsSecureJsonData>(
  DataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
