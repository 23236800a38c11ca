import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { counterLevel } from '../counterSummary';
import type { UsagePoint } from './limitHistory';

interface Props {
  points: UsagePoint[];
  /** The limit's name, for screen readers. */
  name: string;
  testId: string;
}

const WIDTH = 120;
const HEIGHT = 28;

/**
 * Usage over the last 24 hours on a fixed 0–100 % scale (so limits compare at a glance), with breaks where the
 * sampler has no sample. A few SVG paths: Grafana's canvas Sparkline scales to its data and draws through gaps.
 */
export function UsageSparkline({ points, name, testId }: Props) {
  const styles = useStyles2(getStyles);
  const sampled = points.filter((p): p is { time: number; usage: number } => p.usage !== null);
  if (sampled.length === 0) {
    return (
      <span data-testid={testId} data-points={0} className={styles.empty}>
        No samples
      </span>
    );
  }
  const first = points[0].time;
  const span = Math.max(points[points.length - 1].time - first, 1);
  const x = (time: number) => ((time - first) / span) * WIDTH;
  const y = (usage: number) => HEIGHT - Math.min(usage, 1) * HEIGHT;
  // One line per run of sampled points: a gap stays a gap.
  const runs: Array<Array<{ x: number; y: number }>> = [[]];
  for (const point of points) {
    if (point.usage === null) {
      runs.push([]);
    } else {
      runs[runs.length - 1].push({ x: x(point.time), y: y(point.usage) });
    }
  }
  const peak = Math.max(...sampled.map((p) => p.usage));
  const last = sampled[sampled.length - 1].usage;
  const percent = (share: number) => `${Math.round(share * 100)} %`;
  const line = styles.line[counterLevel(peak, 1)];
  return (
    <svg
      data-testid={testId}
      data-points={sampled.length}
      data-peak={peak}
      data-level={counterLevel(peak, 1)}
      role="img"
      aria-label={`${name}: usage over the last 24 hours, peak ${percent(peak)}, latest ${percent(last)}`}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className={styles.chart}
    >
      <line x1={0} x2={WIDTH} y1={y(0.9)} y2={y(0.9)} className={styles.threshold} />
      {runs.map((run, i) =>
        run.length > 1 ? (
          <polyline key={i} points={run.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')} className={line} />
        ) : run.length === 1 ? (
          <circle key={i} cx={run[0].x} cy={run[0].y} r={1.5} className={line} />
        ) : null
      )}
    </svg>
  );
}

const getStyles = (theme: GrafanaTheme2) => {
  const line = (color: string) => css({ fill: 'none', stroke: color, strokeWidth: 1.5 });
  return {
    chart: css({ display: 'block', overflow: 'visible' }),
    threshold: css({ stroke: theme.colors.error.border, strokeDasharray: '2 2', strokeWidth: 1 }),
    line: {
      ok: line(theme.colors.success.main),
      warning: line(theme.colors.warning.main),
      critical: line(theme.colors.error.main),
    },
    empty: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  };
};
