import React, { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { PluginInclude } from '@grafana/data';
import { config } from '@grafana/runtime';
import { Stack, Text } from '@grafana/ui';
import { selectors } from '../../../src/selectors';
import { bootDatasource, loadApp } from './plugins';

/** Grafana's nav for the app, from its plugin.json `includes` (pages with addToNav), plus the datasource pages. */
export function HarnessNav() {
  const [pages, setPages] = useState<PluginInclude[]>([]);
  useEffect(() => {
    loadApp().then(
      ({ meta }) =>
        setPages((meta.includes ?? []).filter((include) => include.addToNav && include.path?.startsWith('/a/'))),
      () => setPages([])
    );
  }, []);
  return (
    <nav data-testid={selectors.harness.nav} style={{ marginBottom: 16 }}>
      <Stack gap={2} alignItems="center">
        {pages.map((page) => (
          <Link key={page.path} to={page.path!}>
            {page.name}
          </Link>
        ))}
        <Link to={`/datasources/edit/${bootDatasource().uid}`}>Datasource settings</Link>
        <Link to="/explore">Explore</Link>
        <Text color="secondary">Signed in as {config.bootData.user.orgRole}</Text>
      </Stack>
    </nav>
  );
}
