import React from 'react';
import { Badge, Stack, Text } from '@grafana/ui';
import { selectors } from '../../selectors';
import type { SetupResult, StepOutcome } from '@shared/status-api';

const COLORS: Record<StepOutcome, 'green' | 'blue' | 'orange' | 'red' | 'purple'> = {
  ok: 'green',
  unchanged: 'green',
  created: 'blue',
  updated: 'blue',
  'would-create': 'purple',
  'would-update': 'purple',
  warning: 'orange',
  failed: 'red',
  skipped: 'purple',
};

/** The steps of a setup run with their outcome, detail and, for failures and warnings, what to do. */
export function SetupResultView({ result, title }: { result: SetupResult; title: string }) {
  return (
    <div data-testid={selectors.status.setupResult}>
      <Stack direction="column" gap={1}>
        <Text element="h4">
          {title} ({new Date(result.finishedAt).toLocaleString()}): {result.ok ? 'complete' : 'did not complete'}
        </Text>
        {result.steps.map((step) => (
          <div key={step.id} data-testid={selectors.status.setupStep(step.id)}>
            <Stack direction="row" gap={1} alignItems="flex-start">
              <Badge text={step.outcome} color={COLORS[step.outcome]} />
              <div>
                <Text weight="medium">{step.title}</Text>: <Text>{step.detail}</Text>
                {step.hint && (
                  <div>
                    <Text color="secondary">{step.hint}</Text>
                  </div>
                )}
              </div>
            </Stack>
          </div>
        ))}
      </Stack>
    </div>
  );
}
