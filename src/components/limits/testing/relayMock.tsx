/**
 * Test double for the module boundary the limit pages cross: `@grafana/runtime` (backend fetch, datasource list,
 * signed-in user, PluginPage). Requests are recorded as the relay sees them; a handler answers or throws a
 * `RelayFailure`. Used by jest only.
 */
import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { act, configure, render } from '@testing-library/react';
import { of, throwError } from 'rxjs';
import { PluginContextProvider, PluginType, type PluginMeta } from '@grafana/data';
import type { LimitCounter, LimitView } from '@shared/limits-api';
import type { AppSettings } from '../../../types';

export interface RelayCall {
  method: string;
  /** Path below the relay's `/api/`, e.g. `limits/3`. */
  path: string;
  /** Whether the call went through the Editor routes. */
  editorRoute: boolean;
  body?: unknown;
  params?: Record<string, string | number>;
}

export class RelayFailure {
  constructor(
    readonly status: number,
    readonly data: unknown
  ) {}
}

type Handler = (call: RelayCall) => unknown;

export const relay = {
  calls: [] as RelayCall[],
  handler: (() => ({})) as Handler,
  user: { orgRole: 'Admin' as 'Admin' | 'Editor' | 'Viewer', isGrafanaAdmin: false },
  datasources: [{ uid: 'insights', name: 'DreamFactory Insights' }],
  reset(handler: Handler) {
    this.calls = [];
    this.handler = handler;
    this.user.orgRole = 'Admin';
    this.user.isGrafanaAdmin = false;
    this.datasources = [{ uid: 'insights', name: 'DreamFactory Insights' }];
  },
  /** Writes only (GETs are reads, and so are the limit-history queries POSTed to `query`). */
  writes(): RelayCall[] {
    return this.calls.filter((c) => c.method !== 'GET' && c.path !== 'query');
  },
};

const PROXY_PATH = /^\/api\/datasources\/proxy\/uid\/[^/]+\/(editor\/)?api\/(.*)$/;

/** Factory for `jest.mock('@grafana/runtime', () => require('.../relayMock').runtimeMock())`. */
export function runtimeMock() {
  const actual = jest.requireActual('@grafana/runtime');
  return {
    ...actual,
    PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
    getDataSourceSrv: () => ({ getList: () => relay.datasources }),
    config: { ...actual.config, bootData: { ...actual.config.bootData, user: relay.user } },
    getBackendSrv: () => ({
      fetch: (options: { method: string; url: string; data?: unknown; params?: Record<string, string | number> }) => {
        const match = PROXY_PATH.exec(options.url);
        if (!match) {
          throw new Error(`unexpected URL ${options.url}`);
        }
        const call = {
          method: options.method,
          path: match[2],
          editorRoute: Boolean(match[1]),
          body: options.data,
          params: options.params,
        };
        relay.calls.push(call);
        try {
          return of({ data: relay.handler(call), status: 200 });
        } catch (err) {
          if (err instanceof RelayFailure) {
            const failure = err;
            // Grafana's datasource proxy never passes a 401 on: it answers 400 with a fixed text, which Grafana's
            // frontend wraps as an object (docs/grafana.md).
            const authFailed = 'Authentication to data source failed';
            const error =
              failure.status === 401
                ? {
                    status: 400,
                    statusText: 'Bad Request',
                    data: { message: authFailed, error: 'Bad Request', response: authFailed },
                  }
                : { status: failure.status, data: failure.data, statusText: 'Error' };
            return throwError(() => error);
          }
          throw err;
        }
      },
    }),
  };
}

/** Renders the app's routes at `path` (e.g. `/a/dreamfactory-insights-app/limits/new`) with the app settings given. */
export function renderApp(path: string, routes: React.ReactElement, settings: AppSettings = {}) {
  const meta = {
    id: 'dreamfactory-insights-app',
    name: 'DreamFactory Insights',
    type: PluginType.app,
    jsonData: settings,
  } as unknown as PluginMeta;
  return render(
    <PluginContextProvider meta={meta}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>{routes}</Routes>
      </MemoryRouter>
    </PluginContextProvider>
  );
}

/**
 * Lets answers the relay has already given reach the page inside act(): a test that ends right after a reload would
 * otherwise leave that update to land after it, which React reports as an update outside act().
 */
export function settle(): Promise<void> {
  return act(async () => undefined);
}

export const LIMITS_BASE = '/a/dreamfactory-insights-app/limits';

export function limitsRoutes(page: React.ReactElement) {
  return <Route path={`${LIMITS_BASE}/*`} element={page} />;
}

export function counter(limitId: number, key: string, attempts: number, max: number): LimitCounter {
  return { limitId, key, attempts, max, remaining: max - attempts };
}

/** A stored limit as the relay returns it; fields the type doesn't use stay null. */
export function limitView(overrides: Partial<LimitView> & Pick<LimitView, 'id' | 'name' | 'type'>): LimitView {
  return {
    description: null,
    typeLabel: overrides.type,
    rate: 100,
    period: 'hour',
    periodSeconds: 3600,
    isActive: true,
    userId: null,
    userName: null,
    roleId: null,
    roleName: null,
    serviceId: null,
    serviceName: null,
    endpoint: null,
    verb: null,
    keyText: overrides.type,
    counters: [],
    ...overrides,
  };
}

/** jsdom lacks what Combobox uses: a canvas to measure option text, and IntersectionObserver. */
export function stubBrowserApis() {
  const context = { measureText: (text: string) => ({ width: text.length * 8 }), font: '' };
  HTMLCanvasElement.prototype.getContext = (() => context) as unknown as typeof HTMLCanvasElement.prototype.getContext;
  class NoIntersections {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  }
  Object.assign(window, { IntersectionObserver: NoIntersections });
  // The option list is virtualised: with jsdom's zero-sized boxes it would render no option.
  Object.defineProperties(Element.prototype, {
    clientHeight: { configurable: true, get: () => 400 },
    clientWidth: { configurable: true, get: () => 400 },
  });
}

/**
 * Grafana UI renders slowly in jsdom on a busy machine (2 cores, many jobs): allow generous waits. These are not
 * performance assertions; a test still fails if the expected UI never appears.
 */
export function allowSlowRendering() {
  jest.setTimeout(30_000);
  configure({ asyncUtilTimeout: 10_000 });
}
