import { interpolateFilters, interpolateList, interpolateQuery } from './interpolate';
import { fakeTemplateSrv } from './testing/fakes';
import { ANY_VALUE, defaultQuery, TimeseriesQuery } from '@shared/query';

const srv = fakeTemplateSrv({
  users: ['7', '9'],
  one: '7',
  none: [],
  all: ANY_VALUE,
  methods: ['get', 'post'],
  step: '5m',
  classes: ['5xx', 'bogus'],
});
const replace = srv.replace.bind(srv);

describe('interpolateList', () => {
  it('expands multi-value variables into separate entries, keeps literals, drops duplicates', () => {
    expect(interpolateList(['$users', '12', '${one}'], replace)).toEqual(['7', '9', '12']);
  });

  it('means "no filter" for empty lists, variables with nothing selected and the All value', () => {
    expect(interpolateList(undefined, replace)).toBeUndefined();
    expect(interpolateList([], replace)).toBeUndefined();
    expect(interpolateList(['$none'], replace)).toBeUndefined();
    expect(interpolateList(['$all'], replace)).toBeUndefined();
    expect(interpolateList(['7', '$all'], replace)).toBeUndefined();
  });
});

describe('interpolateFilters', () => {
  it('upper-cases methods, keeps only real status classes and escapes the Lucene query through Grafana', () => {
    expect(
      interpolateFilters(
        { methods: ['$methods'], statusClasses: ['$classes' as never], lucene: 'user.id:$users', services: ['$all'] },
        replace
      )
    ).toEqual({ methods: ['GET', 'POST'], statusClasses: ['5xx'], lucene: 'user.id:("7" OR "9")' });
  });
});

describe('interpolateQuery', () => {
  it('interpolates a timeseries interval and falls back to auto when it empties', () => {
    const query = { ...defaultQuery('timeseries'), interval: '$step' } as TimeseriesQuery;
    expect((interpolateQuery(query, replace) as TimeseriesQuery).interval).toBe('5m');
    expect((interpolateQuery({ ...query, interval: '' }, replace) as TimeseriesQuery).interval).toBe('auto');
  });
});
