import React from 'react';
import { Alert, Stack, Text } from '@grafana/ui';
import { labels, selectors } from '../../selectors';
import type { SplunkStatus } from '@shared/status-api';
import { FactRow as Row } from './FactRow';
import { formatAge, recentSplunkError } from './format';

/** The Splunk HEC destination (only when the proxy has SPLUNK_HEC_URL): what it took, refused and still owes. */
export function SplunkPanel({ splunk, now }: { splunk: SplunkStatus; now: Date }) {
  const recentError = recentSplunkError(splunk, now);
  const count = (n: number) => n.toLocaleString('en-US');
  return (
    <div data-testid={selectors.status.splunk}>
      <Stack direction="column" gap={1}>
        <Text element="h3">{labels.status.splunk.title}</Text>
        {(splunk.deadLettered > 0 || recentError) && (
          <Alert
            severity="warning"
            title={splunk.deadLettered > 0 ? labels.status.splunk.deadLettered(splunk.deadLettered) : labels.status.splunk.recentError}
            data-testid={selectors.status.splunkWarning}
          >
            {splunk.deadLettered > 0 && (
              <div>
                Written with HEC&apos;s reason to {splunk.deadLetterFile} on the proxy: fix the cause (token, index, data)
                and replay the file.
              </div>
            )}
            {recentError && <div>{`${formatAge(splunk.lastErrorAt, now)}: ${recentError}`}</div>}
          </Alert>
        )}
        <table>
          <tbody>
            <Row label="URL">{splunk.url}</Row>
            <Row label="Delivered">{`${count(splunk.delivered)} events (last ${formatAge(splunk.lastDeliveredAt, now)})`}</Row>
            <Row label="Pending">{`${count(splunk.pending)} events in the queue for Splunk`}</Row>
            <Row label="Retries">{`${count(splunk.retries)} batches sent again`}</Row>
            <Row label="Dead-lettered">{`${count(splunk.deadLettered)} events → ${splunk.deadLetterFile}`}</Row>
            {splunk.unreadable > 0 && <Row label="Unreadable">{`${count(splunk.unreadable)} queue records skipped`}</Row>}
            {splunk.lastError && <Row label="Last error">{`${formatAge(splunk.lastErrorAt, now)}: ${splunk.lastError}`}</Row>}
          </tbody>
        </table>
      </Stack>
    </div>
  );
}
