// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// i18next (used by @grafana/i18n) advertises a product on its first init; this switch is its documented opt-out.
process.env.I18NEXT_NO_SUPPORT_NOTICE = 'true';

// React Router 6 announces two behaviour changes of v7 the first time a router renders. In Grafana the plugin's routes
// run inside Grafana's own router, which decides those flags; the tests' MemoryRouter stays on v6 behaviour, so the
// announcement is not ours to act on.
const ROUTER_V7_NOTICE = /^⚠️ React Router Future Flag Warning/;
const warn = console.warn;
console.warn = (...args) => {
  if (typeof args[0] === 'string' && ROUTER_V7_NOTICE.test(args[0])) {
    return;
  }
  warn(...args);
};
