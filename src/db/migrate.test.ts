import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, MigrationError } from './migrate.ts';

describe('reading migration files', () => {
  const dirs: string[] = [];
  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    dirs.push(dir);
    for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('orders by number, checksums the content and ignores files that are not SQL', () => {
    const dir = folder({ '0002_second.sql': 'select 2;', '0001_first.sql': 'select 1;', 'README.md': 'notes' });
    const migrations = loadMigrations(dir);
    expect(migrations.map((m) => [m.version, m.name])).toEqual([[1, 'first'], [2, 'second']]);
    // `printf 'select 1;' | sha256sum`
    expect(migrations[0]?.checksum).toBe('354b7196c9ba5fb4b21cf615bb6ec4cd5c07503c34229feef033fc081a8c03f4');
    expect(migrations[0]?.sql).toBe('select 1;');
  });

  it('refuses a file name without a number and two files sharing one', () => {
    expect(() => loadMigrations(folder({ 'add_things.sql': 'select 1;' }))).toThrow(/"add_things.sql" does not match NNNN_name.sql/);
    const twice = folder({ '0003_one.sql': 'select 1;', '0003_other.sql': 'select 2;' });
    expect(() => loadMigrations(twice)).toThrow(MigrationError);
    expect(() => loadMigrations(twice)).toThrow(/Two migration files share the number 0003/);
  });
});
