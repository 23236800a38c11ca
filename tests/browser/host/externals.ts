/**
 * The shared modules Grafana 12.4 hands to plugins (see .config/bundler/externals.ts), from the same package
 * versions, so the plugin runs against one React and one @grafana/* instance with the host.
 */
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import * as i18next from 'i18next';
import * as lodash from 'lodash';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';
import * as ReactRouter from 'react-router';
import * as ReactRouterDom from 'react-router-dom';
import * as rxjs from 'rxjs';
import { registerExternal } from './amd-loader';

const EXTERNALS: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  'react/jsx-dev-runtime': jsxRuntime,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  rxjs,
  lodash,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  emotion: emotionCss,
  'react-router': ReactRouter,
  'react-router-dom': ReactRouterDom,
  i18next,
};

export function registerGrafanaExternals(): void {
  for (const [name, moduleValue] of Object.entries(EXTERNALS)) {
    registerExternal(name, moduleValue);
  }
}
