import React from 'react';
import { Button, Combobox, IconButton, InlineField, InlineFieldRow, Input, Stack } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';
import { DimensionSpec } from '@shared/query';
import {
  addDimension,
  availableDimensions,
  moveDimension,
  parseSize,
  removeDimension,
  updateDimension,
} from './editorState';
import { ORDER_OPTIONS, dimensionOptions } from './options';

interface Props {
  groupBy: DimensionSpec[];
  onChange: (groupBy: DimensionSpec[]) => void;
}

const text = labels.datasource.queryEditor;
const ids = selectors.datasource.queryEditor;

/** Ordered groupings: the first row is the outermost bucket; each row has its own size and order. */
export function DimensionList({ groupBy, onChange }: Props) {
  const canAdd = availableDimensions(groupBy).length > 0;
  return (
    <div data-testid={ids.dimensions}>
      {groupBy.map((spec, index) => (
        // The size input is uncontrolled (committed on blur): a new key resets it when presets or moves change the row.
        <InlineFieldRow key={`${index}-${spec.dimension}-${spec.size}`}>
          <InlineField label={index === 0 ? text.groupBy : 'then by'} labelWidth={16}>
            <Combobox
              data-testid={ids.dimension(index)}
              width={20}
              options={dimensionOptions(availableDimensions(groupBy, index))}
              value={spec.dimension}
              onChange={(option) => onChange(updateDimension(groupBy, index, { dimension: option.value }))}
            />
          </InlineField>
          <InlineField
            label={text.size}
            tooltip="Most buckets kept per parent bucket; the rest can be shown as “Other”"
          >
            <Input
              type="number"
              min={1}
              width={10}
              data-testid={ids.dimensionSize(index)}
              aria-label={`${text.size} ${index + 1}`}
              defaultValue={spec.size}
              onBlur={(event) =>
                onChange(updateDimension(groupBy, index, { size: parseSize(event.currentTarget.value, spec.size) }))
              }
            />
          </InlineField>
          <InlineField label={text.order}>
            <Combobox
              data-testid={ids.dimensionOrder(index)}
              width={22}
              options={ORDER_OPTIONS}
              value={spec.order}
              onChange={(option) => onChange(updateDimension(groupBy, index, { order: option.value }))}
            />
          </InlineField>
          <Stack gap={0.5} alignItems="center">
            <IconButton
              name="arrow-up"
              tooltip={text.moveUp}
              disabled={index === 0}
              data-testid={ids.dimensionUp(index)}
              onClick={() => onChange(moveDimension(groupBy, index, -1))}
            />
            <IconButton
              name="arrow-down"
              tooltip={text.moveDown}
              disabled={index === groupBy.length - 1}
              data-testid={ids.dimensionDown(index)}
              onClick={() => onChange(moveDimension(groupBy, index, 1))}
            />
            <IconButton
              name="trash-alt"
              tooltip={text.remove}
              data-testid={ids.dimensionRemove(index)}
              onClick={() => onChange(removeDimension(groupBy, index))}
            />
          </Stack>
        </InlineFieldRow>
      ))}
      <Button
        icon="plus"
        variant="secondary"
        size="sm"
        disabled={!canAdd}
        tooltip={groupBy.length ? undefined : 'No grouping: one row with the total'}
        data-testid={ids.addDimension}
        onClick={() => onChange(addDimension(groupBy))}
      >
        {text.addDimension}
      </Button>
    </div>
  );
}
