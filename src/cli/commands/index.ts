import type { Command } from '../command.ts';
import { securityCommand } from './security.ts';
import { experimentsCommand } from './experiments.ts';
import { mixturesCommand } from './mixtures.ts';
import { backupCommand } from './backup.ts';
import { doctorCommand } from './doctor.ts';
import { exportCommand, importCommand } from './import.ts';
import { modelCommand } from './model.ts';

/**
 * Commands contributed by domain modules, each in its own file beside this one. Adding a command is one entry
 * here; `main.ts` keeps the core commands (serve, migrate, seed, molecules).
 */
export const MODULE_COMMANDS: Record<string, Command> = {
  security: securityCommand,
  experiments: experimentsCommand,
  mixtures: mixturesCommand,
  backup: backupCommand,
  doctor: doctorCommand,
  import: importCommand,
  export: exportCommand,
  model: modelCommand,
};
