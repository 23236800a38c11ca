import React, { ChangeEvent } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, SecretInput, Text } from '@grafana/ui';
import { labels, selectors } from '../../selectors';
import { InsightsOptions, InsightsSecureJsonData } from '../types';

type Props = DataSourcePluginOptionsEditorProps<InsightsOptions, InsightsSecureJsonData>;

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = options;
  const text = labels.datasource.config;

  const setProxyUrl = (proxyUrl: string) => onOptionsChange({ ...options, jsonData: { ...jsonData, proxyUrl } });
  const onProxyUrlChange = (event: ChangeEvent<HTMLInputElement>) => setProxyUrl(event.target.value);
  // The routes append `/api`; a trailing slash would make it `//api`.
  const onProxyUrlBlur = () => setProxyUrl((jsonData.proxyUrl ?? '').trim().replace(/\/+$/, ''));

  const onTokenChange = (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, proxyToken: event.target.value } });

  const onTokenReset = () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, proxyToken: false },
      secureJsonData: { ...secureJsonData, proxyToken: '' },
    });

  return (
    <FieldSet label="DreamFactory Insights proxy">
      <Text element="p" color="secondary">
        {text.help}
      </Text>
      <Field label={text.proxyUrl} required>
        <Input
          id="insights-proxy-url"
          data-testid={selectors.datasource.config.proxyUrl}
          value={jsonData.proxyUrl ?? ''}
          placeholder="http://proxy:3100"
          width={50}
          onChange={onProxyUrlChange}
          onBlur={onProxyUrlBlur}
        />
      </Field>
      <Field label={text.proxyToken} required>
        <SecretInput
          id="insights-proxy-token"
          data-testid={selectors.datasource.config.proxyToken}
          isConfigured={Boolean(secureJsonFields?.proxyToken)}
          value={secureJsonData?.proxyToken ?? ''}
          placeholder="The proxy's PROXY_TOKEN"
          width={50}
          onReset={onTokenReset}
          onChange={onTokenChange}
        />
      </Field>
    </FieldSet>
  );
}
