import React from 'react';
import { Button, InlineField, Stack } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';
import { ACTIVITY_PRESETS, ActivityPreset, DimensionSpec } from '@shared/query';
import { matchingPreset } from './editorState';

const PRESETS = Object.keys(ACTIVITY_PRESETS) as ActivityPreset[];

interface Props {
  groupBy: DimensionSpec[];
  onApply: (preset: ActivityPreset) => void;
}

/** The seed guide's three panels, one click each. */
export function PresetButtons({ groupBy, onApply }: Props) {
  const current = matchingPreset(groupBy);
  return (
    <InlineField label={labels.datasource.queryEditor.presets} labelWidth={16}>
      <Stack gap={1} wrap="wrap">
        {PRESETS.map((preset) => (
          <Button
            key={preset}
            size="sm"
            variant={preset === current ? 'primary' : 'secondary'}
            data-testid={selectors.datasource.queryEditor.preset(preset)}
            onClick={() => onApply(preset)}
          >
            {ACTIVITY_PRESETS[preset].label}
          </Button>
        ))}
      </Stack>
    </InlineField>
  );
}
