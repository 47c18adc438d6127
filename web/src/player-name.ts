import { cleanPlayerName } from '../../src/game/player-name.ts';

const STORAGE_KEY = 'drafty-bird.player';
const BEST_KEY = 'drafty-bird.best';

/** The remembered name, cleaned by the API's rule (an older version may have saved something else). */
export function loadName(storage: Storage | undefined): string {
  try {
    return cleanPlayerName(storage?.getItem(STORAGE_KEY) ?? '');
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
  try {
    const value = Number(storage?.getItem(BEST_KEY) ?? 0);
    return Number.isInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

export function saveBest(storage: Storage | undefined, best: number): void {
  try {
    storage?.setItem(BEST_KEY, String(best));
  } catch {
    // not remembered
  }
}
