import type { ModuleSeeder } from '../reference/seeders.ts';
import { backfillPatternFingerprints } from './service.ts';

/** Fills pattern fingerprints (substructure pre-screen) for rows that lack them, e.g. the core reference molecules. */
export const patternFingerprintSeeder: ModuleSeeder = {
  name: 'molecule pattern fingerprints',
  async seed(runtime) {
    await backfillPatternFingerprints(runtime.db, runtime.chem);
  },
};
