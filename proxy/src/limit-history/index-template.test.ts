import { loadConfig } from '../config';
import { directoryOf, limitView } from './testing/fixtures';
import { buildLimitIndexTemplate, limitTemplateNameFor } from '../setup/limit-index-template';
import { readCounters } from './readings';
import { gapDocument, sampleDocuments } from './sample';

/** Dotted paths of every leaf value in a document. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key));
  }
  return [prefix];
}

function mappedPaths(properties: Record<string, { properties?: Record<string, unknown> }>, prefix = ''): string[] {
  return Object.entries(properties).flatMap(([key, node]) =>
    node.properties ? mappedPaths(node.properties as never, `${prefix}${key}.`) : [`${prefix}${key}`]
  );
}

describe('limit history index template', () => {
  it('is named after its prefix and matches only the limit indices', () => {
    expect(limitTemplateNameFor('dreamfactory-limits-')).toBe('dreamfactory-insights-limits');
    expect(limitTemplateNameFor('staging-limits-')).toBe('dreamfactory-insights-limits-staging-limits');
    expect(buildLimitIndexTemplate('dreamfactory-limits-').index_patterns).toEqual(['dreamfactory-limits-*']);
  });

  it('shares the event indices’ ILM policy when there is one', () => {
    expect(
      buildLimitIndexTemplate('dreamfactory-limits-', { lifecyclePolicy: 'dreamfactory-insights-retention' }).template
        .settings
    ).toMatchObject({
      'index.lifecycle.name': 'dreamfactory-insights-retention',
      'index.lifecycle.parse_origination_date': true,
    });
    expect(buildLimitIndexTemplate('dreamfactory-limits-').template.settings).not.toHaveProperty(
      'index.lifecycle.name'
    );
  });

  it('maps every field the sampler writes (dynamic mapping is off, so an unmapped field would not be searchable)', () => {
    const limits = [
      limitView({
        id: 1,
        type: 'instance.each_user.service',
        rate: 10,
        serviceId: 5,
        serviceName: 'db',
        verb: 'GET',
        endpoint: '_table/x',
      }),
      limitView({ id: 2, type: 'instance.role', roleId: 3, roleName: 'Partners' }),
    ];
    const directory = directoryOf([{ id: '7', email: 'ada@example.com', name: 'Ada' }]);
    const first = sampleDocuments(
      0,
      readCounters(
        limits,
        [{ id: 1, key: 'instance.each_user:7.service:5.hour', max: 10, attempts: 2, remaining: 8 }],
        directory
      ),
      {
        counters: new Map(),
        lastSampleAt: -30_000,
      }
    );
    const second = sampleDocuments(
      60_000,
      readCounters(
        limits,
        [{ id: 1, key: 'instance.each_user:7.service:5.hour', max: 10, attempts: 6, remaining: 4 }],
        directory
      ),
      first.memory
    );
    const written = new Set(
      [...second.documents, ...first.documents, gapDocument(0, 'down', 0)].flatMap((doc) => leafPaths(doc))
    );
    const mapped = new Set(mappedPaths(buildLimitIndexTemplate('l-').template.mappings.properties as never));
    expect([...written].filter((path) => !mapped.has(path))).toEqual([]);
  });
});

describe('limit history configuration', () => {
  it('samples every 30 s by default into dreamfactory-limits-*, and LIMIT_SAMPLE_SECONDS=0 turns it off', () => {
    const defaults = loadConfig({});
    expect([defaults.limitHistory.sampleSeconds, defaults.elasticsearch.limitIndexPrefix]).toEqual([
      30,
      'dreamfactory-limits-',
    ]);
    const off = loadConfig({ LIMIT_SAMPLE_SECONDS: '0', LIMIT_INDEX_PREFIX: 'staging-limits-' });
    expect([off.limitHistory.sampleSeconds, off.elasticsearch.limitIndexPrefix]).toEqual([0, 'staging-limits-']);
  });

  it('refuses a negative interval and a limit prefix that overlaps the event prefix, naming the variable', () => {
    expect(() => loadConfig({ LIMIT_SAMPLE_SECONDS: '-5' })).toThrow(
      'limitHistory.sampleSeconds (env LIMIT_SAMPLE_SECONDS)'
    );
    expect(() => loadConfig({ ES_INDEX_PREFIX: 'dreamfactory-', LIMIT_INDEX_PREFIX: 'dreamfactory-limits-' })).toThrow(
      'elasticsearch.limitIndexPrefix (env LIMIT_INDEX_PREFIX): must not overlap the event index prefix'
    );
  });
});
