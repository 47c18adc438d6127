import { STATUS_EVERY } from '../../../src/game/field.ts';

const LINES = [
  'Draft detected. Sweater recommended.',
  'Facilities has been paged. Facilities has muted the page.',
  'Wind chill in the server room: spicy.',
  'The ducts are leaking vibes again.',
  'You are now the building’s HVAC SLO.',
  'Anemometer at full spin. Coffee at full cold.',
  'Someone left a window open in prod.',
  'Draft budget exhausted. Continuing anyway.',
];

/** A humorous line for every STATUS_EVERY points, cycling through the list. */
export function statusLineFor(score: number): string {
  return `${score} ducts! ${LINES[(Math.floor(score / STATUS_EVERY) - 1) % LINES.length]}`;
}
