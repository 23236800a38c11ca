import { buildIndexTemplate } from './index-template';
import { findMappingConflicts } from './mapping-conflicts';

const ours = buildIndexTemplate('p-').template.mappings as { properties: Record<string, unknown> };

describe('findMappingConflicts', () => {
  it('reports fields another mapping typed differently, not their sub-fields, and skips clean indices', () => {
    const conflicts = findMappingConflicts(ours, {
      'p-2026.01.02': { properties: { level: { type: 'integer' }, message: { type: 'text' } } },
      'p-2026.01.01': {
        properties: {
          host: { type: 'text' },
          level: { type: 'long' },
          event: { properties: { request: { properties: { headers: { properties: { a: { type: 'text' } } }, method: { type: 'text' } } } } },
        },
      },
    });
    expect(conflicts).toEqual([
      {
        index: 'p-2026.01.01',
        fields: [
          { field: 'level', expected: 'integer', actual: 'long' },
          { field: 'host', expected: 'object', actual: 'text' },
          { field: 'event.request.method', expected: 'keyword', actual: 'text' },
          { field: 'event.request.headers', expected: 'flattened', actual: 'object with 1 sub-field' },
        ],
      },
    ]);
  });

  it('treats fields an index does not have yet as no conflict', () => {
    expect(findMappingConflicts(ours, { 'p-x': { properties: {} }, 'p-y': undefined })).toEqual([]);
  });
});
