import { ACTIVITY_PRESETS, DIMENSIONS, TimeseriesQuery, defaultQuery, dimension } from '@shared/query';
import { migrate } from '../../migrate';
import {
  addDimension,
  availableDimensions,
  changeQueryType,
  matchingPreset,
  moveDimension,
  parsePercent,
  parseSize,
  presetGroupBy,
  removeDimension,
  setSplit,
  updateDimension,
} from './editorState';

const dims = (groupBy: Array<{ dimension: string }>) => groupBy.map((spec) => spec.dimension);

describe('presets', () => {
  it('reproduce the seed guide’s three groupings, in order', () => {
    expect(dims(presetGroupBy('callsByUser'))).toEqual(['user']);
    expect(dims(presetGroupBy('apisByUser'))).toEqual(['user', 'method', 'endpoint']);
    expect(dims(presetGroupBy('servicesByUser'))).toEqual(['user', 'service', 'method']);
  });

  it('hand out copies: editing an applied preset leaves the preset alone', () => {
    const groupBy = presetGroupBy('apisByUser');
    groupBy[0].size = 3;
    expect(ACTIVITY_PRESETS.apisByUser.groupBy[0].size).toBe(100);
  });

  it('are recognised from the grouping order, not the sizes', () => {
    expect(matchingPreset([dimension('user', 5), dimension('service'), dimension('method')])).toBe('servicesByUser');
    expect(matchingPreset([dimension('method'), dimension('user')])).toBeUndefined();
  });
});

describe('dimension rows', () => {
  const base = presetGroupBy('apisByUser');

  it('add the first unused dimension as the innermost grouping, until none is left', () => {
    expect(dims(addDimension(base))).toEqual(['user', 'method', 'endpoint', 'service']);
    const all = DIMENSIONS.map((name) => dimension(name));
    expect(addDimension(all)).toBe(all);
  });

  it('offer each row its own dimension and the unused ones only', () => {
    expect(availableDimensions(base, 1)).toEqual(DIMENSIONS.filter((name) => name !== 'user' && name !== 'endpoint'));
  });

  it('remove the chosen row', () => {
    expect(dims(removeDimension(base, 1))).toEqual(['user', 'endpoint']);
  });

  it('move up and down, and not past the ends', () => {
    expect(dims(moveDimension(base, 2, -1))).toEqual(['user', 'endpoint', 'method']);
    expect(dims(moveDimension(base, 0, 1))).toEqual(['method', 'user', 'endpoint']);
    expect(moveDimension(base, 0, -1)).toBe(base);
    expect(moveDimension(base, 2, 1)).toBe(base);
  });

  it('change one row’s size or order only', () => {
    const next = updateDimension(base, 1, { size: 3, order: 'key_asc' });
    expect(next[1]).toEqual({ dimension: 'method', size: 3, order: 'key_asc' });
    expect(next[0]).toBe(base[0]);
  });

  it('read a typed percentage as a share between 0 and 1, keeping the old share otherwise', () => {
    expect(parsePercent('85', 0.8)).toBe(0.85);
    expect(parsePercent('150', 0.8)).toBe(1);
    expect(parsePercent('-3', 0.8)).toBe(0);
    expect(parsePercent('', 0.8)).toBe(0.8);
    expect(parsePercent('most', 0.8)).toBe(0.8);
  });

  it('parse typed sizes as whole numbers of at least 1, keeping the old size otherwise', () => {
    expect(parseSize('25', 10)).toBe(25);
    expect(parseSize('7.9', 10)).toBe(7);
    expect(parseSize('0', 10)).toBe(10);
    expect(parseSize('', 10)).toBe(10);
    expect(parseSize('abc', 10)).toBe(10);
  });
});

describe('changing the query type', () => {
  it('keeps the refId and, between event queries, the filters', () => {
    const activity = { ...defaultQuery('activity', 'B'), filters: { users: ['$user'] } };
    expect(changeQueryType(activity, 'logs')).toEqual({ ...defaultQuery('logs', 'B'), filters: { users: ['$user'] } });
  });

  it('keeps them between event queries and limit history, which take the same variables', () => {
    const activity = { ...defaultQuery('activity', 'B'), filters: { users: ['$user'] } };
    expect(changeQueryType(activity, 'limitForecast')).toEqual({
      ...defaultQuery('limitForecast', 'B'),
      filters: { users: ['$user'] },
    });
  });

  it('drops event filters for queries that ignore them', () => {
    const activity = { ...defaultQuery('activity', 'B'), filters: { users: ['$user'] } };
    expect(changeQueryType(activity, 'limits')).toEqual(defaultQuery('limits', 'B'));
  });
});

describe('splitting a time series', () => {
  const timeseries = defaultQuery('timeseries') as TimeseriesQuery;

  it('by another dimension keeps the size and order', () => {
    const split = setSplit({ ...timeseries, splitBy: dimension('user', 3, 'key_asc') }, 'service');
    expect(split.splitBy).toEqual({ dimension: 'service', size: 3, order: 'key_asc' });
  });

  it('by nothing survives saving and loading as one total series', () => {
    const saved = JSON.parse(JSON.stringify(setSplit(timeseries, undefined)));
    expect(migrate(saved)).toMatchObject({ queryType: 'timeseries', splitBy: null });
  });
});
