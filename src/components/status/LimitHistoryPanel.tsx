import React from 'react';
import { Alert, Stack, Text } from '@grafana/ui';
import { selectors } from '../../selectors';
import type { LimitHistoryStatus } from '@shared/status-api';
import { formatAge } from './format';

/** The limit sampler: how fresh the limit history is, what it last failed on, and what it costs DreamFactory. */
export function LimitHistoryPanel({ history, now }: { history: LimitHistoryStatus; now: Date }) {
  const facts = [
    `every ${history.intervalSeconds} s into ${history.indexPrefix}*`,
    `last sample ${formatAge(history.lastSampleAt, now)}`,
    ...(history.counters !== undefined ? [`${history.counters} counters, ${history.documents} documents`] : []),
    `${history.tripsSinceStart} trips since the proxy started`,
    `${history.dreamFactoryRequestsPerMinute.toFixed(1)} DreamFactory requests a minute`,
  ];
  return (
    <div data-testid={selectors.status.limitHistory}>
      <Stack direction="column" gap={1}>
        <Text element="h3">Limit history</Text>
        {history.enabled ? (
          <Text>{facts.join(' · ')}</Text>
        ) : (
          <Alert severity="info" title="The limit sampler is off">
            {history.disabledReason}
          </Alert>
        )}
        {history.lastError && (
          <Alert severity="warning" title="The last sample failed">
            {history.lastError}
          </Alert>
        )}
        {history.pendingDocuments + history.droppedDocuments > 0 && (
          <Text color="secondary">
            {history.pendingDocuments} documents waiting for Elasticsearch, {history.droppedDocuments} dropped
          </Text>
        )}
      </Stack>
    </div>
  );
}
