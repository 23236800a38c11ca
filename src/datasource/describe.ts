/** One-line summaries of a query, for collapsed query rows and query history. Pure. */
import { DIMENSION_LABELS, InsightsQuery, LIMIT_DIMENSION_LABELS, QUERY_TYPE_LABELS, QueryFilters } from '@shared/query';

function describeFilters(filters: QueryFilters | undefined): string[] {
  if (!filters) {
    return [];
  }
  const lists: Array<[string, string[] | undefined]> = [
    ['users', filters.users],
    ['services', filters.services],
    ['methods', filters.methods],
    ['status', filters.statusClasses],
  ];
  const parts = lists.filter(([, values]) => values?.length).map(([name, values]) => `${name}=${values!.join(',')}`);
  return filters.lucene ? [...parts, `"${filters.lucene}"`] : parts;
}

export function describeQuery(query: InsightsQuery): string {
  const parts: string[] = [QUERY_TYPE_LABELS[query.queryType]];
  switch (query.queryType) {
    case 'activity':
      parts.push(
        query.groupBy.length
          ? `by ${query.groupBy.map((spec) => DIMENSION_LABELS[spec.dimension]).join(' › ')}`
          : 'total'
      );
      break;
    case 'timeseries':
      parts.push(
        query.splitBy ? `by ${DIMENSION_LABELS[query.splitBy.dimension]} (top ${query.splitBy.size})` : 'total'
      );
      break;
    case 'logs':
      parts.push(`latest ${query.limit}`);
      break;
    case 'limitUsage':
      parts.push(query.splitBy ? `by ${LIMIT_DIMENSION_LABELS[query.splitBy]} (top ${query.size})` : 'highest');
      break;
    case 'limitTrips':
      parts.push(
        query.format === 'table'
          ? `newest ${query.size}`
          : query.groupBy
            ? `by ${LIMIT_DIMENSION_LABELS[query.groupBy]}`
            : 'total'
      );
      break;
    case 'limitForecast':
      parts.push(
        `${query.view} ≥ ${Math.round(query.minUsage * 100)} %${query.includeProjected ? ' or projected to trip' : ''}`
      );
      break;
  }
  if ('limitIds' in query && query.limitIds?.length) {
    parts.push(`limits ${query.limitIds.join(',')}`);
  }
  return [...parts, ...describeFilters(query.filters)].join(' · ');
}
