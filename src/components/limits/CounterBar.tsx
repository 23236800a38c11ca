import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, useStyles2 } from '@grafana/ui';
import { counterLevel, type CounterLevel } from './counterSummary';

interface Props {
  attempts: number;
  max: number;
  /** What the bar measures, for screen readers. */
  label: string;
  /** Extra text after `attempts / max`, e.g. "per user". */
  caption?: string;
  testId?: string;
}

/** `attempts / max` with a bar coloured by how close the counter is to a 429. */
export function CounterBar({ attempts, max, label, caption, testId }: Props) {
  const styles = useStyles2(getStyles);
  const level = counterLevel(attempts, max);
  const percent = max > 0 ? Math.min(100, (attempts / max) * 100) : 0;
  return (
    // The test id and level sit on the wrapper so tests see both the bar and its `attempts / max` text.
    <div data-testid={testId} data-level={level}>
      <Stack direction="column" gap={0.5}>
        <div
          className={styles.track}
          role="meter"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={max}
          aria-valuenow={attempts}
        >
          <div className={styles.fill[level]} style={{ width: `${percent}%` }} />
        </div>
        <Text variant="bodySmall" color="secondary">
          {attempts} / {max}
          {caption ? ` ${caption}` : ''}
        </Text>
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => {
  const fill = (color: string) => css({ height: '100%', background: color, borderRadius: theme.shape.radius.default });
  const fills: Record<CounterLevel, string> = {
    ok: fill(theme.colors.success.main),
    warning: fill(theme.colors.warning.main),
    critical: fill(theme.colors.error.main),
  };
  return {
    track: css({
      width: '100%',
      minWidth: 80,
      height: theme.spacing(1),
      background: theme.colors.background.secondary,
      borderRadius: theme.shape.radius.default,
      overflow: 'hidden',
    }),
    fill: fills,
  };
};
