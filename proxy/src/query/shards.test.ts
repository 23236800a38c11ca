import { partialResultsNotice } from './shards';

describe('partialResultsNotice', () => {
  it('says nothing when every shard answered', () => {
    expect(partialResultsNotice({ _shards: { total: 3, successful: 3, failed: 0 }, timed_out: false })).toBeUndefined();
  });

  it('names how many shards are missing and why, so a low count is never silent', () => {
    const failure = (type: string, reason: string) => ({ shard: 0, index: 'logstash-dreamfactory-2026.11.30', reason: { type, reason } });
    const notice = partialResultsNotice({
      _shards: {
        total: 6,
        successful: 4,
        failed: 2,
        failures: [failure('no_shard_available_action_exception', 'No shard available'), failure('no_shard_available_action_exception', 'No shard available')],
      },
      timed_out: false,
    });
    expect(notice).toEqual({
      severity: 'warning',
      text: 'Partial results: 2 of 6 shards did not answer (no_shard_available_action_exception: No shard available). Counts may be too low; refresh once the cluster is healthy.',
    });
  });

  it('flags a search that timed out', () => {
    expect(partialResultsNotice({ _shards: { total: 2, successful: 2, failed: 0 }, timed_out: true })?.text).toMatch(/^Partial results: the search timed out/);
  });
});
