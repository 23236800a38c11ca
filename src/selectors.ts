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
  limits: {
    list: {
      newButton: 'data-testid limits-new',
      search: 'data-testid limits-search',
      refresh: 'data-testid limits-refresh',
      table: 'data-testid limits-table',
      empty: 'data-testid limits-empty',
      selectAll: 'data-testid limits-select-all',
      /** Per-row ids carry the limit id. */
      rowSelect: (id: number) => `data-testid limits-select-${id}`,
      rowName: (id: number) => `data-testid limits-name-${id}`,
      rowActive: (id: number) => `data-testid limits-active-${id}`,
      rowWarnings: (id: number) => `data-testid limits-warnings-${id}`,
      counterBar: (id: number) => `data-testid limits-counter-${id}`,
      edit: (id: number) => `data-testid limits-edit-${id}`,
      delete: (id: number) => `data-testid limits-delete-${id}`,
      resetCounter: (id: number) => `data-testid limits-reset-${id}`,
    },
    bulk: {
      toolbar: 'data-testid limits-bulk',
      activate: 'data-testid limits-bulk-activate',
      deactivate: 'data-testid limits-bulk-deactivate',
      delete: 'data-testid limits-bulk-delete',
      resetCounters: 'data-testid limits-bulk-reset',
      result: 'data-testid limits-bulk-result',
    },
    form: {
      container: 'data-testid limit-form',
      name: 'data-testid limit-form-name',
      description: 'data-testid limit-form-description',
      type: 'data-testid limit-form-type',
      user: 'data-testid limit-form-user',
      role: 'data-testid limit-form-role',
      service: 'data-testid limit-form-service',
      endpoint: 'data-testid limit-form-endpoint',
      verb: 'data-testid limit-form-verb',
      rate: 'data-testid limit-form-rate',
      period: 'data-testid limit-form-period',
      active: 'data-testid limit-form-active',
      submit: 'data-testid limit-form-submit',
      cancel: 'data-testid limit-form-cancel',
      error: 'data-testid limit-form-error',
      warnings: 'data-testid limit-form-warnings',
      eachUserNote: 'data-testid limit-form-each-user-note',
      periodNote: 'data-testid limit-form-period-note',
    },
    /** The "why is this disabled" tooltip target of write controls a user may not use. */
    readOnlyNotice: 'data-testid limits-read-only',
  },
  limitCounters: {
    filter: 'data-testid counters-filter',
    refresh: 'data-testid counters-refresh',
    resetAll: 'data-testid counters-reset-all',
    table: 'data-testid counters-table',
    empty: 'data-testid counters-empty',
    /** Per-row ids carry DreamFactory's counter key. */
    reset: (key: string) => `data-testid counters-reset-${key}`,
    bar: (key: string) => `data-testid counters-bar-${key}`,
  },
};

export const labels = {
  nav: { limits: 'Limits', limitCounters: 'Limit counters', status: 'Pipeline status' },
  limits: {
    readOnly: (writeRole: 'Admin' | 'Editor') =>
      `Only ${writeRole === 'Editor' ? 'editors and admins' : 'admins'} can change limits (set in the app's configuration)`,
    noDatasource: 'No DreamFactory Insights datasource is configured',
    form: {
      name: 'Limit name',
      description: 'Description',
      type: 'Limit type',
      user: 'User',
      role: 'Role',
      service: 'Service',
      endpoint: 'Endpoint',
      verb: 'Verb',
      rate: 'Limit rate',
      period: 'Limit period',
      active: 'Active',
    },
  },
};
