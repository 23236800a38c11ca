/**
 * The query engine (`run.ts`) over every recorded triple in __golden__ (real Elasticsearch responses): the search it
 * sends and the frames users see must not change unnoticed. Re-record with
 * `RECORD_GOLDEN=1 npx jest -c jest.integration.config.js tests/integration/query-golden.test.ts`.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { FrameJSON } from '@shared/query';
import { goldenCases, goldenEngine, GoldenQueryFile, readGolden, ReplayedSearch } from './testing/golden';

describe('golden query triples', () => {
  const cases = goldenCases();

  it('has the recorded cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases)('%s: sends the recorded search and answers the recorded response with the recorded frames', async (name) => {
    const { request, search } = readGolden<GoldenQueryFile>(name, 'query');
    const transport = new ReplayedSearch(readGolden<estypes.SearchResponse>(name, 'es-response'));
    const response = await goldenEngine(transport).run(request);
    expect(transport.asked).toEqual([search]);
    expect(response.results[request.queries[0].refId]).toEqual({ frames: readGolden<FrameJSON[]>(name, 'frames') });
  });
});
