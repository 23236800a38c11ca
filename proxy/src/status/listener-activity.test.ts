import { listenerActivity } from './listener-activity';

const now = new Date('2026-11-30T08:00:00.000Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

describe('listenerActivity', () => {
  it('is receiving while the last message is at most a minute old, idle after that', () => {
    expect(listenerActivity({ enabled: true, lastReceivedAt: ago(0) }, now)).toBe('receiving');
    expect(listenerActivity({ enabled: true, lastReceivedAt: ago(60) }, now)).toBe('receiving');
    expect(listenerActivity({ enabled: true, lastReceivedAt: ago(61) }, now)).toBe('idle');
    expect(listenerActivity({ enabled: true, lastReceivedAt: ago(86_400) }, now)).toBe('idle');
  });

  it('says never received for a source that got nothing, and disabled whatever its history', () => {
    expect(listenerActivity({ enabled: true }, now)).toBe('never_received');
    expect(listenerActivity({ enabled: false }, now)).toBe('disabled');
    expect(listenerActivity({ enabled: false, lastReceivedAt: ago(5) }, now)).toBe('disabled');
  });
});
