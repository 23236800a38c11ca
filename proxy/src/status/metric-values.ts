/** Reading prom-client metric snapshots (`await metric.get()`) as plain numbers. */
import type { MetricObjectWithValues, MetricValue } from 'prom-client';

/** Sum of values per value of `label` (e.g. dropped by source, over every reason). */
export function countsBy(metric: MetricObjectWithValues<MetricValue<string>>, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { labels, value } of metric.values) {
    const key = labels[label];
    if (key !== undefined) {
      out[String(key)] = (out[String(key)] ?? 0) + value;
    }
  }
  return out;
}
