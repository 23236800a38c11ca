/** Syslog severities as GELF numbers them (0–7) and as DreamFactory names them (docs/dreamfactory.md#levels). */
export const LEVEL_NAMES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'] as const;

export type LevelName = (typeof LEVEL_NAMES)[number];

/** Monolog's numbers, which DreamFactory's plain JSON modes send as `_level`. */
const MONOLOG_TO_GELF: Record<number, number> = { 600: 0, 550: 1, 500: 2, 400: 3, 300: 4, 250: 5, 200: 6, 100: 7 };

export interface Level {
  level: number;
  level_name: LevelName;
}

function fromGelfNumber(n: number): Level | undefined {
  return Number.isInteger(n) && n >= 0 && n <= 7 ? { level: n, level_name: LEVEL_NAMES[n] } : undefined;
}

function fromName(name: string): Level | undefined {
  const index = LEVEL_NAMES.indexOf(name.trim().toUpperCase() as LevelName);
  return index >= 0 ? fromGelfNumber(index) : undefined;
}

/** GELF `level`: a number 0–7, a numeric string, or a DreamFactory level name (scripts post `"level":"alert"`). */
export function gelfLevel(value: unknown): Level | undefined {
  if (typeof value === 'number') {
    return fromGelfNumber(value);
  }
  if (typeof value === 'string' && value.trim() !== '') {
    return /^\d+$/.test(value.trim()) ? fromGelfNumber(Number(value)) : fromName(value);
  }
  return undefined;
}

/** JSON-mode `_level`: Monolog's 100–600 (or a level name). */
export function monologLevel(value: unknown): Level | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === 'number') {
    const gelf = MONOLOG_TO_GELF[n];
    return gelf === undefined ? undefined : fromGelfNumber(gelf);
  }
  return typeof n === 'string' ? fromName(n) : undefined;
}
