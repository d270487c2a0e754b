import { BoundedLabel, createGraphqlMetrics, MAX_LABEL_VALUES } from '../../platform/metrics';

/** Label values callers control cannot grow the number of series without bound. */
describe('metric labels', () => {
  test('identifier-shaped names are kept, up to the cap; the rest is "other"', () => {
    const label = new BoundedLabel(3);
    expect(label.value('EnterprisePage')).toBe('EnterprisePage');
    expect(label.value(undefined)).toBe('anonymous');
    expect(label.value('has space')).toBe('other');
    expect(label.value('名字')).toBe('other');
    expect(label.value('a'.repeat(65))).toBe('other');
    expect(label.value('B')).toBe('B');
    expect(label.value('C')).toBe('C');
    expect(label.value('D')).toBe('other');
    // Names counted before the cap was reached keep their own series.
    expect(label.value('EnterprisePage')).toBe('EnterprisePage');
  });

  test('ten thousand distinct operation names make at most MAX_LABEL_VALUES + 1 series', async () => {
    const metrics = createGraphqlMetrics('test');
    for (let i = 0; i < 10_000; i++) metrics.requests.inc({ operation: metrics.operation.value(`Op${i}`) });
    const series = (await metrics.requests.get()).values;
    expect(series).toHaveLength(MAX_LABEL_VALUES + 1);
    expect(series.find((s) => s.labels.operation === 'other')?.value).toBe(10_000 - MAX_LABEL_VALUES);
  });

  test('each server has its own registry: two servers in one process do not collide', async () => {
    const a = createGraphqlMetrics('a');
    const b = createGraphqlMetrics('b');
    a.requests.inc({ operation: 'Q' });
    expect(await b.registry.getSingleMetricAsString('qinqing_graphql_requests_total')).not.toContain('operation="Q"');
    expect(await a.registry.getSingleMetricAsString('qinqing_graphql_requests_total')).toContain('service="a"');
  });
});
