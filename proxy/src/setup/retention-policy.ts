/** The ILM delete policy used where the cluster has ILM. Pure. */
import type { estypes } from '../clients/elasticsearch';
import { MANAGED_BY, templateNameFor } from './index-template';

/** One policy per index prefix, like the template (`dreamfactory-insights-retention` for the default prefix). */
export function retentionPolicyNameFor(prefix: string): string {
  return `${templateNameFor(prefix)}-retention`;
}

/** Daily indices need no rollover: one delete phase. Age counts from the date in the index name (see the template). */
export function buildRetentionPolicy(days: number): estypes.IlmPolicy {
  return {
    _meta: { managed_by: MANAGED_BY, retention_days: days },
    phases: { delete: { min_age: `${days}d`, actions: { delete: {} } } },
  };
}

/** Whether an installed policy already deletes at `days` and does nothing else (Elasticsearch adds action defaults). */
export function policyMatches(installed: estypes.IlmPolicy, days: number): boolean {
  const phases = Object.keys(installed.phases ?? {});
  const del = installed.phases?.delete;
  return phases.length === 1 && String(del?.min_age) === `${days}d` && Object.keys(del?.actions ?? {}).join() === 'delete';
}
