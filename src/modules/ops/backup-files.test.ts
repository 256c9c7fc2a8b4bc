import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupFileName, listBackups, parseBackupFileName, pruneBackups } from './backup.ts';
import { orderByDependencies } from './backup-repo.ts';
import { backupAgeCheck, renderMarkdown, worst } from './health.ts';

describe('backup files in BACKUP_DIR', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'backup-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names files by creation time to the millisecond and parses them back', () => {
    const at = new Date('2026-11-22T01:02:03.045Z');
    const name = backupFileName(at, 'pglite', 'pre-restore');
    expect(name).toBe('cryoprotect-20261122T010203045Z-pglite-pre-restore.ndjson.gz');
    expect(parseBackupFileName(name)).toEqual({ fileName: name, createdAt: at, backend: 'pglite', label: 'pre-restore' });
    expect(parseBackupFileName(backupFileName(at, 'postgres'))?.label).toBeNull();
    expect(parseBackupFileName('cryoprotect-20261399T010203045Z-pglite.ndjson.gz')).toBeNull();
    expect(parseBackupFileName('notes.txt')).toBeNull();
  });

  it('lists completed backups newest first, never partial files, and prunes by retention', () => {
    const days = ['2026-11-20', '2026-11-21', '2026-11-22'];
    for (const d of days) writeFileSync(join(dir, backupFileName(new Date(`${d}T02:15:00Z`), 'postgres')), 'x');
    writeFileSync(join(dir, `.${backupFileName(new Date('2026-11-23T02:15:00Z'), 'postgres')}.partial`), 'x');
    writeFileSync(join(dir, 'README'), 'x');
    expect(listBackups(dir).map((b) => b.createdAt.toISOString().slice(0, 10))).toEqual(['2026-11-22', '2026-11-21', '2026-11-20']);
    expect(listBackups(join(dir, 'missing'))).toEqual([]);

    const dry = pruneBackups(dir, { daily: 2, weekly: 0, monthly: 0 }, { dryRun: true });
    expect(dry.removed.map((r) => r.createdAt.toISOString().slice(0, 10))).toEqual(['2026-11-20']);
    expect(readdirSync(dir)).toHaveLength(5);
    pruneBackups(dir, { daily: 2, weekly: 0, monthly: 0 });
    expect(listBackups(dir)).toHaveLength(2);
  });

  it('judges backup age: none and stale are warnings', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    expect(backupAgeCheck(dir, now, 26)).toMatchObject({ status: 'warning', detail: expect.stringMatching(/^no backup in /) });
    writeFileSync(join(dir, backupFileName(new Date('2026-11-21T09:00:00Z'), 'pglite')), 'x');
    expect(backupAgeCheck(dir, now, 26)).toMatchObject({ status: 'warning', detail: expect.stringMatching(/27\.0 h old \(more than 26 h\)/) });
    writeFileSync(join(dir, backupFileName(new Date('2026-11-22T11:30:00Z'), 'pglite')), 'x');
    expect(backupAgeCheck(dir, now, 26)).toMatchObject({ status: 'ok', detail: expect.stringMatching(/30 min old$/) });
  });
});

describe('health report helpers', () => {
  it('takes the worst status', () => {
    expect(worst([])).toBe('ok');
    expect(worst(['ok', 'warning', 'ok'])).toBe('warning');
    expect(worst(['warning', 'failed', 'ok'])).toBe('failed');
  });

  it('renders Markdown with escaped cells and skipped checks marked', () => {
    const md = renderMarkdown({
      status: 'failed', generatedAt: '2026-11-22T00:00:00.000Z', version: '1.2.3', database: 'postgres',
      checks: [
        { name: 'schema', status: 'failed', detail: 'missing a|b\nnext', durationMs: 1 },
        { name: 'performance.statements', status: 'ok', skipped: true, detail: 'skipped: extension not installed', durationMs: 0 },
      ],
    });
    expect(md).toMatch(/^# CryoProtect health: FAILED/);
    expect(md).toContain('| schema | FAILED | missing a\\|b next |');
    expect(md).toContain('| performance.statements | skipped | skipped: extension not installed |');
  });

  it('orders tables parents first and names a foreign-key cycle', () => {
    const t = (name: string) => ({ name });
    const order = orderByDependencies([t('molecules'), t('users'), t('projects'), t('sessions')], [
      { child: 'molecules', parent: 'projects' }, { child: 'projects', parent: 'users' },
      { child: 'sessions', parent: 'sessions' }, { child: 'sessions', parent: 'users' },
    ]);
    expect(order.map((x) => x.name)).toEqual(['users', 'projects', 'molecules', 'sessions']);
    expect(() => orderByDependencies([t('a'), t('b')], [{ child: 'a', parent: 'b' }, { child: 'b', parent: 'a' }])).toThrow(/cycle among: a, b/);
  });
});

describe('backup configuration', () => {
  it('reads the schedule and retention, and rejects an invalid cron expression at start', async () => {
    const { loadConfig } = await import('../../config.ts');
    const defaults = loadConfig({ NODE_ENV: 'test' });
    expect(defaults.backupSchedule).toBeNull();
    expect(defaults.backupKeep).toEqual({ daily: 7, weekly: 4, monthly: 12 });
    const set = loadConfig({ NODE_ENV: 'test', BACKUP_SCHEDULE: '15 2 * * *', BACKUP_KEEP_DAILY: '3', BACKUP_KEEP_MONTHLY: '0' });
    expect(set.backupSchedule).toBe('15 2 * * *');
    expect(set.backupKeep).toEqual({ daily: 3, weekly: 4, monthly: 0 });
    expect(() => loadConfig({ NODE_ENV: 'test', BACKUP_SCHEDULE: '61 * * * *', BACKUP_KEEP_WEEKLY: '-1' }))
      .toThrow(/BACKUP_SCHEDULE is not a valid cron expression: minute: 61[\s\S]*BACKUP_KEEP_WEEKLY must be an integer/);
  });
});
