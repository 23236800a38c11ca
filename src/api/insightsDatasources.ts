/** The Insights datasources Grafana knows; the app pages reach the proxy through one of them. */
import { getDataSourceSrv } from '@grafana/runtime';
import { DATASOURCE_TYPE } from '../constants';

export function getInsightsDatasources(): Array<{ uid: string; name: string }> {
  return getDataSourceSrv()
    .getList({ type: DATASOURCE_TYPE })
    .map((ds) => ({ uid: ds.uid, name: ds.name }));
}

/** The datasource whose proxy routes the app uses: the configured uid, else the first Insights datasource. */
export function findInsightsDatasource(preferredUid?: string): { uid: string; name: string } | undefined {
  const list = getInsightsDatasources();
  return (preferredUid && list.find((ds) => ds.uid === preferredUid)) || list[0];
}
