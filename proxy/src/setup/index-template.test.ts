import { buildIndexTemplate, templateNameFor, templateOptionsFor, TEMPLATE_NAME } from './index-template';

describe('buildIndexTemplate', () => {
  it('wins over Logstash\'s logstash-* template (priority 200) for the daily indices of the prefix', () => {
    const body = buildIndexTemplate('logstash-dreamfactory-');
    expect(body.index_patterns).toEqual(['logstash-dreamfactory-*']);
    expect(body.priority).toBeGreaterThan(200);
    expect(body.template.settings).toMatchObject({ 'index.number_of_shards': 1, 'index.number_of_replicas': 0, 'index.refresh_interval': '5s' });
  });

  it('keeps free-form request parts from adding fields, and the .keyword sub-fields seed dashboards use', () => {
    const props = buildIndexTemplate('p-').template.mappings.properties as Record<string, any>;
    const request = props.event.properties.request.properties;
    expect(request.headers.type).toBe('flattened');
    expect(request.payload).toEqual({ type: 'object', enabled: false });
    expect(request.method.fields.keyword.type).toBe('keyword');
    expect(props.level.type).toBe('integer');
    expect(props.platform.type).toBe('flattened');
  });

  it('attaches an ILM policy, parsing the age from names only where the prefix ends in "-"', () => {
    expect(buildIndexTemplate('p-', { lifecyclePolicy: 'pol' }).template.settings).toMatchObject({
      'index.lifecycle.name': 'pol',
      'index.lifecycle.parse_origination_date': true,
    });
    const noDash = buildIndexTemplate('logs', { lifecyclePolicy: 'pol' }).template.settings;
    expect(noDash['index.lifecycle.name']).toBe('pol');
    expect(noDash).not.toHaveProperty('index.lifecycle.parse_origination_date');
    expect(buildIndexTemplate('p-').template.settings).not.toHaveProperty('index.lifecycle.name');
  });

  it('omits the 8.14+ setting for older clusters, and takes replicas', () => {
    const settings = buildIndexTemplate('p-', { ignoreDynamicBeyondLimit: false, replicas: 1 }).template.settings;
    expect(settings).not.toHaveProperty('index.mapping.total_fields.ignore_dynamic_beyond_limit');
    expect(settings['index.number_of_replicas']).toBe(1);
  });

  it('uses what each product accepts: flattened with ignore_above on Elasticsearch, bare flat_object on OpenSearch', () => {
    expect(templateOptionsFor({ distribution: 'elasticsearch', version: '9.5.4' })).toEqual({ flattenedType: 'flattened', ignoreDynamicBeyondLimit: true });
    expect(templateOptionsFor({ distribution: 'elasticsearch', version: '8.13.4' })).toEqual({ flattenedType: 'flattened', ignoreDynamicBeyondLimit: false });
    const os = buildIndexTemplate('p-', templateOptionsFor({ distribution: 'opensearch', version: '2.19.6' }));
    const props = os.template.mappings.properties as Record<string, any>;
    expect(props.platform).toEqual({ type: 'flat_object' });
    expect(props.event.properties.request.properties.headers).toEqual({ type: 'flat_object' });
    expect(os.template.settings).not.toHaveProperty('index.mapping.total_fields.ignore_dynamic_beyond_limit');
  });

  it('gives each prefix its own template name', () => {
    expect(templateNameFor('logstash-dreamfactory-')).toBe(TEMPLATE_NAME);
    expect(templateNameFor('staging-df-')).toBe(`${TEMPLATE_NAME}-staging-df`);
  });
});
