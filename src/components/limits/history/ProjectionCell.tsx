import React from 'react';
import { Icon, Stack, Text, Tooltip } from '@grafana/ui';
import { describeLimitProjection, type LimitForecast } from './limitHistory';
import { formatClock } from './clock';

interface Props {
  forecast?: LimitForecast;
  /** How projections are made (from the proxy), shown on hover. */
  method?: string;
  sampledAt?: string;
  testId: string;
}

/** "Estimate: at the current rate, trips at 14:20", with whose counter and how it was estimated. */
export function ProjectionCell({ forecast, method, sampledAt, testId }: Props) {
  if (!forecast) {
    return (
      <span data-testid={testId} data-kind="none">
        <Text variant="bodySmall" color="secondary">
          No samples yet
        </Text>
      </span>
    );
  }
  const words = describeLimitProjection(forecast, (ms) => formatClock(ms));
  const who =
    words.kind === 'projected' || words.kind === 'resets-first'
      ? forecast.projectedFor
      : words.kind === 'at-limit'
        ? forecast.user
        : null;
  const details = [method, sampledAt ? `As of the sample at ${formatClock(Date.parse(sampledAt))}.` : undefined]
    .filter(Boolean)
    .join(' ');
  return (
    <Stack direction="column" gap={0}>
      <Stack gap={0.5} alignItems="center">
        <span data-testid={testId} data-kind={words.kind} style={{ whiteSpace: 'nowrap' }}>
          {words.text}
        </span>
        {details && (
          <Tooltip content={details}>
            <Icon name="info-circle" aria-label={details} size="sm" />
          </Tooltip>
        )}
      </Stack>
      {who && (
        <Text variant="bodySmall" color="secondary">
          {who}
        </Text>
      )}
    </Stack>
  );
}
