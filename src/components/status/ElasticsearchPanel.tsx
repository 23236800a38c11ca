import React from 'react';
import { Alert, Badge, Stack, Text } from '@grafana/ui';
import { selectors } from '../../selectors';
import type { ElasticsearchStatus } from '@shared/status-api';
import { FactRow as Row } from './FactRow';
import { formatBytes } from './format';

function retentionText(retention: ElasticsearchStatus['retention']): string {
  switch (retention.mode) {
    case 'ilm':
      return `ILM policy ${retention.policyName} (${retention.policyPresent ? 'installed' : 'missing: apply setup'}), ${retention.days} days`;
    case 'proxy': {
      const run = retention.lastRun;
      const last = run ? (run.error ? `; last pass failed: ${run.error}` : `; last pass deleted ${run.deleted.length} ${run.deleted.length === 1 ? 'index' : 'indices'}`) : '';
      return `Enforced by the proxy (no ILM on this cluster), ${retention.days} days${last}`;
    }
    case 'off':
      return 'Off: indices are kept until deleted by hand';
    default:
      return 'Unknown (Elasticsearch not reachable)';
  }
}

/** Cluster, template, retention and index facts; the error and what to do when something is wrong. */
export function ElasticsearchPanel({ es }: { es: ElasticsearchStatus }) {
  const template = es.template;
  return (
    <div data-testid={selectors.status.elasticsearch}>
      <Stack direction="column" gap={1}>
        <Text element="h3">Elasticsearch</Text>
        {es.error && (
          <Alert severity={es.reachable ? 'warning' : 'error'} title={es.reachable ? 'Elasticsearch answered with an error' : 'Elasticsearch is down or unreachable'}>
            {es.error}
            {es.hint && <div>{es.hint}</div>}
          </Alert>
        )}
        <table>
          <tbody>
            <Row label="URL">{es.url}</Row>
            {es.version && <Row label="Version">{`${es.distribution === 'opensearch' ? 'OpenSearch' : 'Elasticsearch'} ${es.version}`}</Row>}
            {es.nodes && (
              <Row label="Nodes">
                {`${es.nodes.count} (${es.nodes.dataNodes} data)`}
                {es.nodes.unassignedShards > 0 && `; ${es.nodes.unassignedShards} shard copies unassigned (a node is missing or recovering)`}
              </Row>
            )}
            {es.clusterHealth && (
              <Row label="Cluster health">
                <Badge text={es.clusterHealth} color={es.clusterHealth === 'green' ? 'green' : es.clusterHealth === 'yellow' ? 'orange' : 'red'} />
              </Row>
            )}
            {template && (
              <Row label="Index template">
                {template.name}:{' '}
                {!template.installed
                  ? 'not installed (apply setup)'
                  : template.installedVersion === template.expectedVersion
                    ? `installed, version ${template.installedVersion}`
                    : `version ${template.installedVersion ?? 'unknown'} installed, ${template.expectedVersion} expected (apply setup)`}
              </Row>
            )}
            <Row label="Retention">{retentionText(es.retention)}</Row>
            {es.todayIndex && (
              <Row label="Today's index">
                {es.todayIndex.name}: {es.todayIndex.exists ? `${es.todayIndex.docsCount.toLocaleString()} events, ${formatBytes(es.todayIndex.storeBytes)}` : 'not created yet (no events today)'}
              </Row>
            )}
            {es.indices && (
              <Row label="All daily indices">
                {es.indices.count} {es.indices.count === 1 ? 'index' : 'indices'}, {es.indices.docsCount.toLocaleString()} events, {formatBytes(es.indices.storeBytes)}
                {es.indices.oldest && ` (${es.indices.oldest} … ${es.indices.newest})`}
              </Row>
            )}
          </tbody>
        </table>
      </Stack>
    </div>
  );
}
