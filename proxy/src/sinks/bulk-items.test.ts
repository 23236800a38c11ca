import { classifyBulkItems } from './bulk-items';
// Recorded from Elasticsearch 8.19.21 with the sink's filter_path: items 1 ok, 2 `level` long vs "WARN",
// 3 `host` object vs string, 4 index creation forbidden, 5 index with a write block.
import recorded from './__fixtures__/bulk-mixed-response.json';

describe('classifyBulkItems', () => {
  it('dead-letters mapping errors (400/404) and retries the rest, in request order', () => {
    const outcomes = classifyBulkItems(recorded, 5);
    expect(outcomes.map((o) => o.kind)).toEqual(['ok', 'dead_letter', 'dead_letter', 'dead_letter', 'retry']);
    expect(outcomes[1]).toMatchObject({ status: 400, error: { type: 'document_parsing_exception' } });
    expect(outcomes[3]).toMatchObject({ status: 404, error: { type: 'index_not_found_exception' } });
    expect(outcomes[4]).toMatchObject({ status: 403, reason: expect.stringContaining('cluster_block_exception') });
  });

  it('treats every item as accepted when the response has no errors (items may be trimmed)', () => {
    expect(classifyBulkItems({ errors: false, items: [] }, 3)).toEqual([{ kind: 'ok' }, { kind: 'ok' }, { kind: 'ok' }]);
  });

  it('retries an item the response does not mention rather than assuming it landed', () => {
    expect(classifyBulkItems({ errors: true, items: recorded.items.slice(0, 1) }, 2)[1]).toMatchObject({ kind: 'retry' });
  });
});
