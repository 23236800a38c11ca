import React from 'react';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import LimitsPage from '../../../pages/LimitsPage';
import type { LimitType, LimitView } from '@shared/limits-api';
import { LIMIT_TYPES } from '@shared/limits';
import { selectors } from '../../../selectors';
import {
  limitView,
  LIMITS_BASE,
  limitsRoutes,
  relay,
  RelayFailure,
  allowSlowRendering,
  renderApp,
  stubBrowserApis,
  type RelayCall,
} from '../testing/relayMock';

jest.mock('@grafana/runtime', () => require('../testing/relayMock').runtimeMock());
allowSlowRendering();
beforeAll(stubBrowserApis);

const form = selectors.limits.form;
const SCOPE_FIELDS = { user: form.user, role: form.role, service: form.service, endpoint: form.endpoint };

const DIRECTORY = {
  'directory/users': { entries: [{ id: 7, label: 'Alice Admin', detail: 'alice@example.com' }] },
  'directory/roles': { entries: [{ id: 2, label: 'Readers' }] },
  'directory/services': { entries: [{ id: 4, label: 'db', detail: 'sql_db' }] },
};

/** A stored limit of each type, with the ids its type needs. */
function storedOfType(type: LimitType): LimitView {
  const t = LIMIT_TYPES.find((info) => info.type === type)!;
  return limitView({
    id: 5,
    name: `A ${t.label} limit`,
    type,
    userId: t.userId === 'none' ? null : 7,
    roleId: t.roleId === 'none' ? null : 2,
    serviceId: t.serviceId === 'none' ? null : 4,
    endpoint: t.endpoint === 'none' ? null : '_table/contacts*',
  });
}

function serve(stored: LimitView, others: LimitView[] = [], write: (call: RelayCall) => unknown = () => stored) {
  relay.reset((call) => {
    if (call.method !== 'GET') {
      return write(call);
    }
    if (call.path === 'limits') {
      return { limits: [stored, ...others] };
    }
    if (call.path === `limits/${stored.id}`) {
      return stored;
    }
    return DIRECTORY[call.path as keyof typeof DIRECTORY] ?? {};
  });
}

async function renderEdit(
  stored: LimitView,
  others: LimitView[] = [],
  write?: (call: RelayCall) => unknown,
  role = relay.user.orgRole
) {
  serve(stored, others, write);
  relay.user.orgRole = role;
  renderApp(`${LIMITS_BASE}/${stored.id}/edit`, limitsRoutes(<LimitsPage />));
  await screen.findByTestId(form.container);
}

function setInput(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

/** The closest field wrapper around `testId`'s control that also holds a validation message. */
function messageNextTo(testId: string): string | null {
  let node: HTMLElement | null = screen.getByTestId(testId);
  while (node && !node.querySelector('[role="alert"]')) {
    node = node.parentElement;
  }
  // The wrapper must be this field's, not the whole form.
  if (!node || node.contains(screen.getByTestId(form.name)) !== (testId === form.name)) {
    return null;
  }
  return node.querySelector('[role="alert"]')!.textContent;
}

describe('Limit form', () => {
  it.each(LIMIT_TYPES.map((t) => [t.label, t] as const))(
    '%s shows exactly the fields its type needs',
    async (_label, t) => {
      await renderEdit(storedOfType(t.type));
      const expected = { user: t.userId, role: t.roleId, service: t.serviceId, endpoint: t.endpoint };
      for (const [field, testId] of Object.entries(SCOPE_FIELDS)) {
        const shown = screen.queryByTestId(testId) !== null;
        expect([field, shown]).toEqual([field, expected[field as keyof typeof expected] !== 'none']);
      }
      for (const always of [form.name, form.description, form.type, form.verb, form.rate, form.period, form.active]) {
        expect(screen.getByTestId(always)).toBeInTheDocument();
      }
      expect(screen.queryByTestId(form.eachUserNote) !== null).toBe(t.eachUser);
    }
  );

  it('offers the ten types by their human names and switches fields with the type', async () => {
    serve(storedOfType('instance'));
    renderApp(`${LIMITS_BASE}/new`, limitsRoutes(<LimitsPage />));
    const type = await screen.findByTestId(form.type);
    act(() => {
      fireEvent.click(type);
    });
    const options = await screen.findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(LIMIT_TYPES.map((t) => expect.stringContaining(t.label)));
    act(() => {
      fireEvent.click(screen.getByRole('option', { name: /Endpoint by User/ }));
    });
    expect(await screen.findByTestId(form.endpoint)).toBeInTheDocument();
    expect(screen.getByTestId(form.user)).toBeInTheDocument();
    expect(screen.queryByTestId(form.role)).not.toBeInTheDocument();
  });

  it("shows DreamFactory's messages next to each missing field and sends nothing", async () => {
    serve(storedOfType('instance'));
    renderApp(`${LIMITS_BASE}/new`, limitsRoutes(<LimitsPage />));
    fireEvent.click(await screen.findByTestId(form.submit));
    expect(await screen.findByText('The name field is required.')).toBeInTheDocument();
    expect(messageNextTo(form.type)).toBe('The type field is required.');
    expect(messageNextTo(form.rate)).toBe('The rate field is required.');
    expect(screen.getByText('The period field is required.')).toBeInTheDocument();
    expect(relay.writes()).toHaveLength(0);
  });

  it('refuses a non-integer rate with DreamFactory’s message, without a request', async () => {
    await renderEdit(storedOfType('instance.user'));
    setInput(form.rate, '12.5');
    fireEvent.click(screen.getByTestId(form.submit));
    await waitFor(() => expect(messageNextTo(form.rate)).toBe('Limit rate must be an integer. Limit not saved.'));
    expect(relay.writes()).toHaveLength(0);
    // Fixing the field clears its message.
    setInput(form.rate, '12');
    expect(messageNextTo(form.rate)).toBeNull();
  });

  it('PATCHes only what changed, then returns to the list', async () => {
    await renderEdit(storedOfType('instance.user'));
    setInput(form.rate, '250');
    fireEvent.click(within(screen.getByTestId(form.period)).getByLabelText('Day'));
    fireEvent.click(screen.getByTestId(form.submit));
    await waitFor(() =>
      expect(relay.writes()).toEqual([
        expect.objectContaining({ method: 'PATCH', path: 'limits/5', body: { rate: 250, period: 'day' } }),
      ])
    );
    expect(await screen.findByTestId(selectors.limits.list.table)).toBeInTheDocument();
  });

  it('puts a server error about a field next to that field', async () => {
    const message = 'No service exists for A Service limit.';
    await renderEdit(storedOfType('instance.service'), [], () => {
      throw new RelayFailure(400, { error: message, field: 'service_id', source: 'dreamfactory' });
    });
    setInput(form.rate, '50');
    fireEvent.click(screen.getByTestId(form.submit));
    await waitFor(() => expect(messageNextTo(form.service)).toBe(message));
    expect(screen.queryByTestId(form.error)).not.toBeInTheDocument();
  });

  it('shows other server errors, and a 403 as missing permission, in an alert', async () => {
    await renderEdit(storedOfType('instance'), [], () => {
      throw new RelayFailure(403, { error: 'Write grant missing', source: 'permission' });
    });
    setInput(form.name, 'Renamed');
    fireEvent.click(screen.getByTestId(form.submit));
    expect(await screen.findByTestId(form.error)).toHaveTextContent("You don't have permission to change limits");
  });

  it('warns before saving that a broader limit trips first, without blocking the save', async () => {
    const instance = limitView({ id: 9, name: 'Whole instance', type: 'instance', rate: 10, period: 'minute' });
    await renderEdit({ ...storedOfType('instance.user'), rate: 1000, period: 'minute' }, [instance]);
    expect(screen.getByTestId(form.warnings)).toHaveTextContent(
      'The Instance limit "Whole instance" (10 / minute) allows fewer calls'
    );
    // Lowering the rate below the broader one removes the warning live.
    setInput(form.rate, '5');
    expect(screen.queryByTestId(form.warnings)).not.toBeInTheDocument();
    setInput(form.rate, '1000');
    setInput(form.name, 'Still saved');
    fireEvent.click(screen.getByTestId(form.submit));
    await waitFor(() => expect(relay.writes()).toEqual([expect.objectContaining({ body: { name: 'Still saved' } })]));
  });

  it('creates a limit with only the fields its type uses', async () => {
    serve(storedOfType('instance'));
    renderApp(`${LIMITS_BASE}/new`, limitsRoutes(<LimitsPage />));
    const type = await screen.findByTestId(form.type);
    act(() => {
      fireEvent.click(type);
    });
    act(() => {
      fireEvent.click(screen.getByRole('option', { name: /^Each User/ }));
    });
    setInput(form.name, 'Fair share');
    setInput(form.rate, '60');
    fireEvent.click(within(screen.getByTestId(form.period)).getByLabelText('30 Days'));
    fireEvent.click(within(screen.getByTestId(form.verb)).getByLabelText('POST'));
    expect(screen.getByTestId(form.warnings)).toHaveTextContent('lasts 210 days');
    fireEvent.click(screen.getByTestId(form.submit));
    await waitFor(() =>
      expect(relay.writes()).toEqual([
        expect.objectContaining({
          method: 'POST',
          path: 'limits',
          body: {
            name: 'Fair share',
            description: null,
            type: 'instance.each_user',
            rate: 60,
            period: '30-day',
            user_id: null,
            role_id: null,
            service_id: null,
            endpoint: null,
            verb: 'POST',
            is_active: true,
          },
        }),
      ])
    );
  });

  it('is read-only for a Viewer', async () => {
    await renderEdit(storedOfType('instance.user'), [], undefined, 'Viewer');
    expect(screen.getByTestId(form.submit)).toBeDisabled();
    expect(screen.getByTestId(form.name)).toBeDisabled();
    expect(screen.getByTestId(form.rate)).toBeDisabled();
  });
});
