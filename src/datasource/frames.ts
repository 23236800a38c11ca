/**
 * From the proxy's answer to Grafana's: FrameJSON to DataFrames, per-query errors to DataQueryErrors, and a link on
 * user cells to that user's events. Pure.
 */
import { DataFrame, DataLink, DataQueryError, DataQueryResponse, toDataFrame } from '@grafana/data';
import { FRAME_COLUMNS, FrameJSON, LogsQuery, QueryResponse, defaultQuery } from '@shared/query';

/**
 * The proxy's user columns people read; FRAME_COLUMNS.userId is the id the filters take (ANONYMOUS_USER_VALUE on the
 * row of calls without a user, null on "Other" rows).
 */
const USER_FIELDS: string[] = [FRAME_COLUMNS.user, FRAME_COLUMNS.userEmail, FRAME_COLUMNS.name];

export interface LinkTarget {
  uid: string;
  name: string;
}

export function userEventsLink(target: LinkTarget): DataLink<LogsQuery> {
  const logs = defaultQuery('logs') as LogsQuery;
  return {
    title: 'Events of this user',
    url: '',
    internal: {
      datasourceUid: target.uid,
      datasourceName: target.name,
      // Grafana interpolates the field reference with the clicked row's value.
      query: { ...logs, filters: { users: [`\${__data.fields["${FRAME_COLUMNS.userId}"]}`] } },
    },
  };
}

function withUserLinks(frame: FrameJSON, target: LinkTarget): FrameJSON {
  const hasUserId = frame.fields.some((field) => field.name === FRAME_COLUMNS.userId);
  if (!hasUserId || frame.meta?.preferredVisualisationType === 'logs') {
    return frame;
  }
  const link = userEventsLink(target);
  return {
    ...frame,
    fields: frame.fields.map((field) =>
      USER_FIELDS.includes(field.name)
        ? { ...field, config: { ...field.config, links: [...(field.config?.links ?? []), link] } }
        : field
    ),
  };
}

/** Frames and errors in the order of the request's queries; a failed query has an error and no frames. */
export function toQueryResponse(response: QueryResponse, refIds: string[], target: LinkTarget): DataQueryResponse {
  const data: DataFrame[] = [];
  const errors: DataQueryError[] = [];
  for (const refId of refIds) {
    const result = response.results?.[refId];
    if (!result) {
      errors.push({ refId, message: `The Insights proxy returned no result for query ${refId}` });
      continue;
    }
    if (result.error) {
      errors.push({ refId, message: result.error });
    }
    for (const frame of result.frames ?? []) {
      data.push(toDataFrame(withUserLinks({ ...frame, refId: frame.refId ?? refId }, target)));
    }
  }
  return errors.length ? { data, errors } : { data };
}
