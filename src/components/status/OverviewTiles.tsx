import React from 'react';
import { Badge, Card, Stack } from '@grafana/ui';
import { selectors } from '../../selectors';
import type { StatusResponse } from '@shared/status-api';
import { formatDuration, formatRate, ingestBadge } from './format';

type Health = { text: string; color: 'green' | 'orange' | 'red' | 'blue' };

function Tile({ name, title, health, children }: { name: Parameters<typeof selectors.status.tile>[0]; title: string; health: Health; children: React.ReactNode }) {
  return (
    <Card data-testid={selectors.status.tile(name)} noMargin>
      <Card.Heading>{title}</Card.Heading>
      <Card.Description>{children}</Card.Description>
      <Card.Tags>
        <Badge text={health.text} color={health.color} />
      </Card.Tags>
    </Card>
  );
}

/** One tile per component: up, down or degraded at a glance. */
export function OverviewTiles({ status }: { status: StatusResponse }) {
  const { elasticsearch: es, dreamfactory: df, ingest, proxy } = status;
  const esHealth: Health = !es.reachable
    ? { text: 'Down', color: 'red' }
    : es.error || es.clusterHealth === 'red'
      ? { text: 'Degraded', color: 'orange' }
      : { text: es.clusterHealth === 'yellow' ? 'Up (yellow)' : 'Up', color: es.clusterHealth === 'yellow' ? 'orange' : 'green' };
  const dfHealth: Health = !df.configured
    ? { text: 'Not configured', color: 'blue' }
    : !df.reachable
      ? { text: 'Down', color: 'red' }
      : df.keyValid === false
        ? { text: 'Key rejected', color: 'red' }
        : { text: 'Up', color: 'green' };
  const total1m = ingest.sources.reduce((sum, s) => sum + s.rate1m, 0);
  // Follows the sources' states, so "Receiving" never sits beside a rate of 0/s.
  const ingestHealth: Health = ingestBadge(ingest.sources);
  return (
    <Stack direction="row" gap={2} wrap="wrap">
      <Tile name="proxy" title="Proxy" health={{ text: 'Up', color: 'green' }}>
        Version {proxy.version}, up {formatDuration(proxy.uptimeSeconds)}
      </Tile>
      <Tile name="elasticsearch" title="Elasticsearch" health={esHealth}>
        {es.reachable ? `Elasticsearch ${es.version ?? ''} at ${es.url}` : `Unreachable at ${es.url}`}
      </Tile>
      <Tile name="dreamfactory" title="DreamFactory" health={dfHealth}>
        {df.configured ? (df.version ? `DreamFactory ${df.version}` : (df.error ?? 'Reachable')) : 'Set DF_URL and DF_API_KEY on the proxy'}
      </Tile>
      <Tile name="ingest" title="Ingest" health={ingestHealth}>
        {formatRate(total1m)} over the last minute, {ingest.queue.events} queued
      </Tile>
    </Stack>
  );
}
