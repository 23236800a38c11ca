/**
 * Columns a user sees for each query type (by display name), shared by the harness specs and the Grafana e2e specs.
 * Only the leading, always-present ones: enough to show the right frame came back.
 */
import type { QueryType } from '@shared/query';

export const EXPECTED_COLUMNS: Record<QueryType, string[]> = {
  activity: ['User', 'Calls'],
  timeseries: ['Time'],
  logs: ['timestamp', 'body'],
  users: ['ID', 'Name', 'Email'],
  limits: ['ID', 'Name', 'Type', 'Rate', 'Period'],
  limitCounters: ['Limit', 'Attempts', 'Max', 'Remaining'],
  limitUsage: ['Time'],
  limitTrips: ['Time', 'Limit', 'User', 'Attempts'],
  limitForecast: ['Limit', 'User', 'Usage', 'Projected trip'],
};
