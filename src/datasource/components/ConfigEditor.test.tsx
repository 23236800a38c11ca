import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { DataSourceSettings } from '@grafana/data';
import { labels, selectors } from '../../selectors';
import { InsightsOptions, InsightsSecureJsonData } from '../types';
import { ConfigEditor } from './ConfigEditor';

type Settings = DataSourceSettings<InsightsOptions, InsightsSecureJsonData>;

function settings(overrides: Partial<Settings> = {}): Settings {
  return { jsonData: {}, secureJsonFields: {}, secureJsonData: {}, ...overrides } as Settings;
}

describe('ConfigEditor', () => {
  it('explains where the token comes from', () => {
    render(<ConfigEditor options={settings()} onOptionsChange={jest.fn()} />);
    expect(screen.getByText(labels.datasource.config.help)).toBeInTheDocument();
  });

  it('stores the proxy URL in jsonData without a trailing slash, and the token only in secureJsonData', () => {
    const onOptionsChange = jest.fn();
    const { rerender } = render(<ConfigEditor options={settings()} onOptionsChange={onOptionsChange} />);
    fireEvent.change(screen.getByTestId(selectors.datasource.config.proxyUrl), {
      target: { value: 'http://proxy:3100/' },
    });
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { proxyUrl: 'http://proxy:3100/' } })
    );
    rerender(
      <ConfigEditor
        options={settings({ jsonData: { proxyUrl: 'http://proxy:3100/' } })}
        onOptionsChange={onOptionsChange}
      />
    );
    fireEvent.blur(screen.getByTestId(selectors.datasource.config.proxyUrl));
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { proxyUrl: 'http://proxy:3100' } })
    );

    fireEvent.change(screen.getByPlaceholderText("The proxy's PROXY_TOKEN"), { target: { value: 's3cret' } });
    const saved = onOptionsChange.mock.lastCall[0] as Settings;
    expect(saved.secureJsonData).toEqual({ proxyToken: 's3cret' });
    expect(JSON.stringify(saved.jsonData)).not.toContain('s3cret');
  });

  it('shows a stored token as configured and lets it be reset', () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor options={settings({ secureJsonFields: { proxyToken: true } })} onOptionsChange={onOptionsChange} />
    );
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onOptionsChange).toHaveBeenCalledWith(
      expect.objectContaining({ secureJsonFields: { proxyToken: false }, secureJsonData: { proxyToken: '' } })
    );
  });
});
