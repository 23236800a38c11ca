import { useCallback, useEffect, useRef, useState } from 'react';

export interface Remote<T> {
  data?: T;
  error?: unknown;
  /** True until the first answer for the current key; reloads keep showing the previous data. */
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Loads `load()` on mount and whenever `key` changes; `reload` re-runs it. Answers of superseded calls are dropped,
 * so a slow old request never overwrites a newer one. `load` undefined = nothing to load.
 */
export function useRemote<T>(load: (() => Promise<T>) | undefined, key: unknown): Remote<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: Boolean(load) });
  const generation = useRef(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  const reload = useCallback(async () => {
    const current = loadRef.current;
    if (!current) {
      return;
    }
    const mine = ++generation.current;
    try {
      const data = await current();
      if (mine === generation.current) {
        setState({ data, loading: false });
      }
    } catch (error) {
      if (mine === generation.current) {
        setState((previous) => ({ data: previous.data, error, loading: false }));
      }
    }
  }, []);

  useEffect(() => {
    const calls = generation;
    if (loadRef.current) {
      setState((previous) => ({ ...previous, loading: true }));
      reload();
    }
    // Unmounting or a new key makes answers still in flight stale.
    return () => {
      calls.current++;
    };
  }, [key, reload]);

  return { ...state, reload };
}
