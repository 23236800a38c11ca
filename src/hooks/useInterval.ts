import { useEffect, useRef } from 'react';

/** Calls `callback` every `ms` milliseconds while `ms` is not null; the latest callback is always used. */
export function useInterval(callback: () => void, ms: number | null): void {
  const latest = useRef(callback);
  useEffect(() => {
    latest.current = callback;
  });
  useEffect(() => {
    if (ms === null) {
      return;
    }
    const timer = setInterval(() => latest.current(), ms);
    return () => clearInterval(timer);
  }, [ms]);
}
