import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { selectors } from '../../selectors';
import type { DataSource } from '../datasource';
import { InsightsVariableQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

function renderEditor(query: InsightsVariableQuery | string) {
  const onChange = jest.fn();
  render(
    <VariableQueryEditor
      query={query as InsightsVariableQuery}
      datasource={{} as DataSource}
      onChange={onChange}
      onRunQuery={jest.fn()}
    />
  );
  return onChange;
}

describe('VariableQueryEditor', () => {
  it('settles a new variable on users so that its preview has values', () => {
    expect(renderEditor('')).toHaveBeenCalledWith({ refId: 'variable', kind: 'users' });
  });

  it('switches the kind of values listed', () => {
    const onChange = renderEditor({ refId: 'user', kind: 'users' });
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.click(within(screen.getByTestId(selectors.datasource.variableEditor.kind)).getByLabelText('Services'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'user', kind: 'services' });
  });
});
