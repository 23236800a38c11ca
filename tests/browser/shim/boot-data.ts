/**
 * The page Grafana would serve: `window.grafanaBootData` (settings, the signed-in user with the session's org role and
 * server-admin flag, the datasource list as the browser sees it: no secrets) and the host bundle.
 */
import type { OrgRole } from './routes';

/** Who is signed in: an org role, and whether the user is also a Grafana server admin (a separate flag in Grafana). */
export interface HarnessSession {
  role: OrgRole;
  isGrafanaAdmin: boolean;
}

export const APP_ID = 'dreamfactory-insights-app';
export const PLUGIN_BASE = `/public/plugins/${APP_ID}`;

/** What a browser may see of a datasource: `secureJsonFields` flags, never the secret values. */
export interface BrowserDatasourceSettings {
  id: number;
  uid: string;
  name: string;
  type: string;
  url: string;
  access: 'proxy';
  jsonData: Record<string, unknown>;
  secureJsonFields: Record<string, boolean>;
  meta: Record<string, unknown>;
}

export function bootData({ role, isGrafanaAdmin }: HarnessSession, datasource: BrowserDatasourceSettings) {
  return {
    settings: {
      appSubUrl: '',
      buildInfo: { version: '12.4.10', env: 'production', edition: 'Open Source' },
      featureToggles: {},
      datasources: { [datasource.name]: datasource },
      defaultDatasource: datasource.name,
    },
    user: {
      id: 1,
      uid: `harness-${role.toLowerCase()}`,
      login: `harness-${role.toLowerCase()}`,
      name: `Harness ${role}`,
      email: `${role.toLowerCase()}@harness.local`,
      orgId: 1,
      orgName: 'Main Org.',
      orgRole: role,
      isGrafanaAdmin,
      isSignedIn: true,
      theme: 'dark',
      timezone: 'utc',
      weekStart: 'monday',
      locale: 'en-US',
      language: 'en-US',
      permissions: {},
    },
    navTree: [],
    assets: { dark: '', light: '' },
  };
}

export function hostPage(session: HarnessSession, datasource: BrowserDatasourceSettings): string {
  // `<` escaped so no JSON value can close the script element.
  const json = JSON.stringify(bootData(session, datasource)).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <base href="/" />
  <title>DreamFactory Insights — plugin harness</title>
  <link rel="stylesheet" href="/public/harness/host.css" />
  <script>window.grafanaBootData = ${json}; window.__grafana_public_path__ = '/public/';</script>
</head>
<body>
  <div id="reactRoot"></div>
  <script src="/public/harness/host.js"></script>
</body>
</html>`;
}
