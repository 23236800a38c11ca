import React, { useState } from 'react';
import { Alert, Button, Stack, Tooltip } from '@grafana/ui';
import { labels, selectors } from '../../selectors';
import type { DoctorResult, SetupResult } from '@shared/status-api';
import { describeProxyFailure } from '../../api/proxyClient';
import { DoctorResultView } from './DoctorResultView';
import { SetupResultView } from './SetupResultView';
import type { StatusApi } from '../../api/statusApi';

type Running = 'doctor' | 'setup' | undefined;

/** "Run doctor" and "Apply setup" (Admins only) and what they reported. */
export function StatusActions({ api, canRun, onDone }: { api: StatusApi; canRun: boolean; onDone: () => void }) {
  const [running, setRunning] = useState<Running>();
  const [doctor, setDoctor] = useState<DoctorResult>();
  const [setup, setSetup] = useState<SetupResult>();
  const [error, setError] = useState<string>();

  const run = async (which: 'doctor' | 'setup') => {
    setRunning(which);
    setError(undefined);
    try {
      if (which === 'doctor') {
        setDoctor(await api.runDoctor());
      } else {
        setSetup(await api.applySetup());
      }
      onDone();
    } catch (err) {
      setError(describeProxyFailure(err).message);
    } finally {
      setRunning(undefined);
    }
  };

  const buttons = (
    <Stack direction="row" gap={1}>
      <Button icon="heart-rate" disabled={!canRun || running !== undefined} onClick={() => run('doctor')} data-testid={selectors.status.runDoctor}>
        {running === 'doctor' ? 'Running doctor…' : labels.status.runDoctor}
      </Button>
      <Button variant="secondary" icon="wrench" disabled={!canRun || running !== undefined} onClick={() => run('setup')} data-testid={selectors.status.applySetup}>
        {running === 'setup' ? 'Applying setup…' : labels.status.applySetup}
      </Button>
    </Stack>
  );
  return (
    <Stack direction="column" gap={2}>
      {canRun ? (
        buttons
      ) : (
        <Tooltip content={labels.status.adminOnly}>
          <span data-testid={selectors.status.adminOnly}>{buttons}</span>
        </Tooltip>
      )}
      {error && <Alert severity="error" title={error} />}
      {doctor && <DoctorResultView result={doctor} />}
      {setup && <SetupResultView result={setup} title="Setup" />}
    </Stack>
  );
}
