import { CreateScores1732345200000 } from './1732345200000-create-scores.js';

/** Every migration, oldest first. */
export const MIGRATIONS = [CreateScores1732345200000];
