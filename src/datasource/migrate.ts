import type { DataQuery } from '@grafana/schema';
import { InsightsQuery, migrateQuery } from '@shared/query';

/** A query as Grafana hands it over (saved dashboards, Explore URLs, API) into the current model. */
export function migrate(saved: DataQuery | InsightsQuery): InsightsQuery {
  return migrateQuery(saved as Parameters<typeof migrateQuery>[0]);
}
