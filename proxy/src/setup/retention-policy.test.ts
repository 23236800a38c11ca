import { buildRetentionPolicy, policyMatches, retentionPolicyNameFor } from './retention-policy';

describe('ILM retention policy', () => {
  it('is one delete phase at the configured age, named per prefix', () => {
    expect(buildRetentionPolicy(30).phases).toEqual({ delete: { min_age: '30d', actions: { delete: {} } } });
    expect(retentionPolicyNameFor('logstash-dreamfactory-')).toBe('dreamfactory-insights-retention');
  });

  it('matches an installed copy with Elasticsearch\'s defaults filled in, not one with another age or phase', () => {
    // What GET _ilm/policy returns for the body above.
    const stored = { phases: { delete: { min_age: '30d', actions: { delete: { delete_searchable_snapshot: true } } } } };
    expect(policyMatches(stored, 30)).toBe(true);
    expect(policyMatches(stored, 14)).toBe(false);
    expect(policyMatches({ phases: { ...stored.phases, warm: { min_age: '7d', actions: {} } } }, 30)).toBe(false);
  });
});
