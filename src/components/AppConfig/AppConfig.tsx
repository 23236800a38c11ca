import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { AppPluginMeta, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Button, Combobox, Field, FieldSet, RadioButtonGroup } from '@grafana/ui';
import { selectors } from '../../selectors';
import { getInsightsDatasources } from '../../api/insightsDatasources';
import type { AppSettings } from '../../types';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

const WRITE_ROLES = [
  { label: 'Admins', value: 'Admin' as const, description: 'Only organisation admins change limits' },
  { label: 'Editors and admins', value: 'Editor' as const, description: 'Editors may change limits too (set LIMIT_WRITE_ROLE=Editor on the proxy as well)' },
];

/** App settings hold no secrets: the proxy token lives in the datasource's secureJsonData. */
const AppConfig = ({ plugin }: AppConfigProps) => {
  const { enabled, pinned, jsonData } = plugin.meta;
  const [settings, setSettings] = useState<AppSettings>({
    datasourceUid: jsonData?.datasourceUid,
    limitWriteRole: jsonData?.limitWriteRole ?? 'Admin',
  });
  const datasources = getInsightsDatasources().map((ds) => ({ label: ds.name, value: ds.uid }));

  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    await updatePlugin(plugin.meta.id, { enabled, pinned, jsonData: settings });
    window.location.reload();
  };

  return (
    <form onSubmit={onSubmit}>
      <FieldSet label="DreamFactory Insights">
        <Field label="Datasource" description="The Insights datasource whose proxy the app pages use (default: the first one)">
          <Combobox
            data-testid={selectors.appConfig.datasource}
            options={datasources}
            value={settings.datasourceUid ?? null}
            isClearable
            placeholder="First DreamFactory Insights datasource"
            onChange={(option) => setSettings({ ...settings, datasourceUid: option?.value })}
          />
        </Field>
        <Field label="Who may change limits" data-testid={selectors.appConfig.limitWriteRole}>
          <RadioButtonGroup
            options={WRITE_ROLES}
            value={settings.limitWriteRole}
            onChange={(value) => setSettings({ ...settings, limitWriteRole: value })}
          />
        </Field>
        <Button type="submit" data-testid={selectors.appConfig.submit}>
          Save settings
        </Button>
      </FieldSet>
    </form>
  );
};

export default AppConfig;

async function updatePlugin(pluginId: string, data: Partial<PluginMeta>) {
  await lastValueFrom(getBackendSrv().fetch({ url: `/api/plugins/${pluginId}/settings`, method: 'POST', data }));
}
