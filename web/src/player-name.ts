export const MAX_NAME_LENGTH = 32;
const STORAGE_KEY = 'drafty-bird.player';
const BEST_KEY = 'drafty-bird.best';

// The same rules as the API: no control characters or bidirectional overrides, at most 32 characters.
const FORBIDDEN = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;

/** What the API will accept for a typed name; empty means "Guest". */
export function cleanName(raw: string): string {
  return [...raw.replace(FORBIDDEN, '').trim()].slice(0, MAX_NAME_LENGTH).join('');
}

export function loadName(storage: Storage | undefined): string {
  try {
    return cleanName(storage?.getItem(STORAGE_KEY) ?? '');
  } catch {
    return '';
  }
}

export function saveName(storage: Storage | undefined, name: string): void {
  try {
    storage?.setItem(STORAGE_KEY, name);
  } catch {
    // Private mode or storage full: the name is simply not remembered.
  }
}

export function loadBest(storage: Storage | undefined): number {
  const value = Number(storage?.getItem(BEST_KEY) ?? 0);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

export function saveBest(storage: Storage | undefined, best: number): void {
  try {
    storage?.setItem(BEST_KEY, String(best));
  } catch {
    // not remembered
  }
}
