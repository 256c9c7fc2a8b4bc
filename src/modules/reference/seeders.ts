import type { Runtime } from '../../app/runtime.ts';
import { formulationSeeder } from '../mixtures/seed.ts';
import { patternFingerprintSeeder } from '../molecules/seeder.ts';

/**
 * Reference data owned by domain modules (e.g. formulations), loaded after the core molecules and sources.
 * Each seeder must be idempotent: it runs on every start and by `cryoprotect seed`.
 */
export interface ModuleSeeder {
  name: string;
  seed(runtime: Runtime, options?: { force?: boolean }): Promise<void>;
}

export const MODULE_SEEDERS: ModuleSeeder[] = [formulationSeeder, patternFingerprintSeeder];
