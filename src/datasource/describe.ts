/** One-line summaries of a query, for collapsed query rows and query history. Pure. */
import { DIMENSION_LABELS, InsightsQuery, QUERY_TYPE_LABELS, QueryFilters } from '@shared/query';

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
    case 'limitCounters':
      if (query.limitIds?.length) {
        parts.push(`limits ${query.limitIds.join(',')}`);
      }
      break;
  }
  return [...parts, ...describeFilters(query.filters)].join(' · ');
}
