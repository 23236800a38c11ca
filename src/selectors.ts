/**
 * Labels and test ids, in one place for the components, jest tests, the browser harness and plugin-e2e specs.
 * Test ids use Grafana's `data-testid <name>` convention.
 */
export const selectors = {
  appConfig: {
    datasource: 'data-testid ac-datasource',
    limitWriteRole: 'data-testid ac-limit-write-role',
    submit: 'data-testid ac-submit-form',
  },
  pages: {
    limits: { container: 'data-testid page-limits' },
    limitCounters: { container: 'data-testid page-limit-counters' },
    status: { container: 'data-testid page-status' },
  },
  /** Shown by every page when no Insights datasource exists or the proxy cannot be reached. */
  proxyError: 'data-testid proxy-error',
};

export const labels = {
  nav: { limits: 'Limits', limitCounters: 'Limit counters', status: 'Pipeline status' },
};
