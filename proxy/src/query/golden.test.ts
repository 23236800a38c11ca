/**
 * Builder + shaper + enrichment over every recorded triple in __golden__ (real Elasticsearch responses): the search
 * body we send and the frames users see must not change unnoticed. Re-record with
 * `RECORD_GOLDEN=1 npx jest -c jest.integration.config.js tests/integration/query-golden.test.ts`.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { FrameJSON } from '@shared/query';
import { buildCase, goldenCases, goldenDirectory, GoldenQueryFile, readGolden, shapeCase } from './testing/golden';

describe('golden query triples', () => {
  const cases = goldenCases();

  it('has the recorded cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases)('%s: builds the recorded search and shapes the recorded response into the recorded frames', (name) => {
    const { request, search } = readGolden<GoldenQueryFile>(name, 'query');
    expect(buildCase(request)).toEqual(search);
    const response = readGolden<estypes.SearchResponse>(name, 'es-response');
    expect(shapeCase(request, response, goldenDirectory())).toEqual(readGolden<FrameJSON[]>(name, 'frames'));
  });
});
