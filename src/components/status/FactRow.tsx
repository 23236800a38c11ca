import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

const getStyles = (theme: GrafanaTheme2) => ({
  label: css({ textAlign: 'left', paddingRight: theme.spacing(2), fontWeight: theme.typography.fontWeightMedium, verticalAlign: 'top' }),
});

/** One labelled fact in a status panel's table. */
export function FactRow({ label, children }: { label: string; children: React.ReactNode }) {
  const styles = useStyles2(getStyles);
  return (
    <tr>
      <th scope="row" className={styles.label}>
        {label}
      </th>
      <td>{children}</td>
    </tr>
  );
}
