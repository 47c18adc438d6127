import { CreateScores1732345200000 } from './1732345200000-create-scores.ts';
import { CreateStorageProbe1763900000000 } from './1763900000000-create-storage-probe.ts';
import { AddRuns1764000000000 } from './1764000000000-add-runs.ts';

/** Every migration, oldest first. */
export const MIGRATIONS = [CreateScores1732345200000, CreateStorageProbe1763900000000, AddRuns1764000000000];
