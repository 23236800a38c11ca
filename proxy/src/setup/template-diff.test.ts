import type { estypes } from '../clients/elasticsearch';
import { buildIndexTemplate } from './index-template';
import { templateDifferences } from './template-diff';

/** How Elasticsearch hands a stored template back: settings nested, every setting a string. */
function asStored(body = buildIndexTemplate('p-', { lifecyclePolicy: 'pol' })): estypes.IndicesIndexTemplate {
  return {
    ...body,
    template: {
      mappings: body.template.mappings,
      settings: {
        index: {
          lifecycle: { name: 'pol', parse_origination_date: 'true' },
          mapping: { total_fields: { ignore_dynamic_beyond_limit: 'true' } },
          refresh_interval: '5s',
          number_of_shards: '1',
          number_of_replicas: '0',
        },
      },
    },
    composed_of: [],
  } as unknown as estypes.IndicesIndexTemplate;
}

describe('templateDifferences', () => {
  it('sees no difference between a stored template and the body it came from', () => {
    expect(templateDifferences(asStored(), buildIndexTemplate('p-', { lifecyclePolicy: 'pol' }))).toEqual([]);
  });

  it('names what a manual edit changed', () => {
    const stored = asStored();
    stored.priority = 200;
    (stored.template!.settings as any).index.number_of_replicas = '2';
    (stored.template!.mappings as any).properties.level = { type: 'keyword' };
    expect(templateDifferences(stored, buildIndexTemplate('p-', { lifecyclePolicy: 'pol' }))).toEqual(['priority', 'settings', 'mappings']);
  });

  it('notices a dropped ILM policy (retention mode changed)', () => {
    expect(templateDifferences(asStored(), buildIndexTemplate('p-'))).toEqual(['settings']);
  });
});
