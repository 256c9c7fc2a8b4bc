import type { ParseArgsConfig } from 'node:util';

/** A failure the user can fix by calling differently: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export interface Command {
  summary: string;
  usage: string;
  options?: ParseArgsConfig['options'];
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[] }): Promise<number>;
}

/** Results go to stdout (one line each), diagnostics to stderr, so output can be piped. */
export const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
export const err = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
