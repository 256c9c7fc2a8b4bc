import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/db.ts';
import { migrateUp } from '../../src/db/migrate.ts';
import { readManifest } from '../../src/modules/ops/archive.ts';
import { createBackup, listBackups, restoreBackup, tableDigests, verifyBackup } from '../../src/modules/ops/backup.ts';
import { dumpRows, listDataTables, prepareDumpSession, truncateAll } from '../../src/modules/ops/backup-repo.ts';
import { BACKENDS, describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

/** A small deterministic generator, so a failing run can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(65 + int(26))).join('');
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const awkward = ['', 'comma, inside', 'quote " and \' apostrophe', 'back\\slash', 'line\nbreak', '{braces}', 'ünïcödé ❄ 冷', 'tab\there', 'NULL'];
  const text = () => awkward[int(awkward.length)] + letters(1 + int(6));
  return { next, int, letters, bytes, text };
}

/** Every row of every data table, as the database prints it, sorted: what "identical data" means. */
async function everyRow(db: Db): Promise<Record<string, string[]>> {
  return db.asMaintenance(async (tx) => {
    await prepareDumpSession(tx, { readOnlySnapshot: true });
    const rows: Record<string, string[]> = {};
    for (const table of await listDataTables(tx)) {
      const lines: string[] = [];
      await dumpRows(tx, table.name, async (batch) => {
        lines.push(...batch);
      });
      rows[table.name] = lines;
    }
    return rows;
  });
}

/** Values checked bit for bit, independently of the JSON path the backup uses. */
async function exactValues(db: Db): Promise<unknown[]> {
  return db.asMaintenance(async (tx) => {
    const m = await tx.query(`select id, encode(morgan_fp, 'hex') as fp, encode(float8send(molecular_weight), 'hex') as mw,
      descriptors::text as d, synonyms, (extract(epoch from created_at) * 1000000)::bigint::text as us
      from molecules order by id`);
    const s = await tx.query('select id, rotated_to, encode(token_hash, \'hex\') as h from sessions order by id');
    return [m.rows, s.rows];
  });
}

async function wipe(db: Db): Promise<void> {
  await db.asMaintenance(async (tx) => {
    await truncateAll(tx, (await listDataTables(tx)).map((t) => t.name));
  });
}

/** Random users, projects (the owner trigger adds members), sources, molecules, sessions with a rotation chain, jobs. */
async function insertRandomData(db: Db, seed: number): Promise<void> {
  const r = random(seed);
  await db.asMaintenance(async (tx) => {
    const users: string[] = [];
    for (let i = 0; i < 6; i++) {
      const u = await tx.query<{ id: string }>(
        'insert into users (email, display_name, is_admin, created_at) values ($1, $2, $3, $4) returning id',
        [`${r.letters(8).toLowerCase()}@lab${i}.example`, r.text(), r.int(2) === 0, `2025-0${1 + r.int(9)}-1${r.int(10)} 0${r.int(10)}:1${r.int(10)}:2${r.int(10)}.${String(r.int(1_000_000)).padStart(6, '0')}+0${r.int(10)}`],
      );
      users.push(u.rows[0]!.id);
    }
    const projects: string[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await tx.query<{ id: string }>('insert into projects (name, description, created_by) values ($1, $2, $3) returning id', [r.text(), r.text(), users[i]]);
      projects.push(p.rows[0]!.id);
      await tx.query("insert into project_members (project_id, user_id, role) values ($1, $2, 'viewer')", [p.rows[0]!.id, users[i + 3]]);
    }
    for (let i = 0; i < 20; i++) {
      const project = r.int(4) === 0 ? null : projects[r.int(3)];
      const source = await tx.query<{ id: string }>(
        'insert into sources (project_id, key, doi, title, year) values ($1, $2, $3, $4, $5) returning id',
        [project, `k${i}${r.letters(3).toLowerCase()}`, r.int(2) ? `10.${1000 + r.int(9000)}/${r.letters(5)}` : null, r.text(), 1900 + r.int(126)],
      );
      const descriptors = {
        CrippenClogP: (r.next() - 0.5) * 10,
        tpsa: r.next() * 200,
        NumHBD: r.int(6),
        nested: { list: [r.next(), null, true, r.text(), [1e-300, 1.7976931348623157e308]], tiny: 5e-324, third: 1 / 3 },
        [r.text()]: r.text(),
      };
      await tx.query(
        `insert into molecules (project_id, name, synonyms, canonical_smiles, inchi, inchikey, formula, molecular_weight, exact_mass,
           descriptors, morgan_fp, pattern_fp, source_id, created_by, created_at)
         values ($1, $2, $3, $4, 'InChI=1S/test', $5, 'C2H6O', $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          project, r.text(), [r.text(), r.text(), null, ''], `C${'C'.repeat(r.int(5))}O`,
          `${r.letters(14)}-${r.letters(10)}-N`, 10 + r.next() * 500, 0.1 + 0.2 + i, JSON.stringify(descriptors),
          r.bytes(256), r.int(2) ? r.bytes(256) : null, source.rows[0]!.id, users[r.int(6)],
          `2026-0${1 + r.int(9)}-0${1 + r.int(9)}T1${r.int(10)}:00:00.${String(r.int(1_000_000)).padStart(6, '0')}Z`,
        ],
      );
    }
    // A rotation chain whose newest session sorts first: restore must not depend on row order within the table.
    const ids = ['ffffffff-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002', '11111111-0000-4000-8000-000000000003'];
    for (let i = ids.length - 1; i >= 0; i--) {
      await tx.query(
        `insert into sessions (id, user_id, token_hash, expires_at, rotated_to) values ($1, $2, $3, now() + interval '1 day', $4)`,
        [ids[i], users[0], r.bytes(32), i + 1 < ids.length ? ids[i + 1] : null],
      );
    }
    await tx.query(
      `insert into jobs (kind, status, payload, result, attempts, project_id, created_by, started_at, finished_at)
       values ('import', 'succeeded', $1, $2, 1, $3, $4, now() - interval '1 hour', now())`,
      [JSON.stringify({ rows: [1, 2.5, 'x'] }), JSON.stringify({ ok: true, ms: 0.000123 }), projects[0], users[0]],
    );
  });
}

describeEachBackend('backup and restore', (backend) => {
  let db: TestDatabase;
  let backupDir: string;
  let archive: string;
  let before: Record<string, string[]>;
  let beforeExact: unknown[];

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    // The shared template may predate a migration added since the run started; restore migrates forward, so start current.
    await migrateUp(db.runtime.db);
    backupDir = mkdtempSync(join(tmpdir(), 'cryoprotect-backups-'));
    await insertRandomData(db.runtime.db, backend === 'pglite' ? 1 : 2);
    // A table of awkward types no migration has, with a sequence, an identity and a generated column.
    await db.runtime.db.asMaintenance((tx) => tx.query(`create table ops_types (
      id bigserial primary key, ident integer generated by default as identity, doubled bigint generated always as (id * 2) stored,
      n numeric, d double precision, ds double precision[], iv interval, js json, ts timestamp, tstz timestamptz, b bytea,
      c citext, u uuid, t text[][])`));
    await db.runtime.db.asMaintenance((tx) => tx.query(`insert into ops_types (n, d, ds, iv, js, ts, tstz, b, c, u, t) values
      (123456789012345678901234567890.123456789, 0.1, '{1e-310,NaN,Infinity,-Infinity,2.2250738585072014e-308}', '1 year 2 mons 3 days 04:05:06.789',
       '{"b": 1, "a": [1.50, "x"]}', '2026-11-22 01:02:03.456789', '1999-12-31 23:59:59.999999+05:30', '\\x00ff10', 'MiXeD', gen_random_uuid(),
       '{{"a","b"},{"c",NULL}}'),
      (-1, 1.7976931348623157e308, '{}', '-1 days', 'null', null, 'infinity', '', 'x', null, null)`));
    before = await everyRow(db.runtime.db);
    beforeExact = await exactValues(db.runtime.db);
  });
  afterAll(async () => {
    await db?.close();
    if (backupDir) rmSync(backupDir, { recursive: true, force: true });
  });

  it('writes one archive whose manifest lists every table with counts and checksums', async () => {
    const { file, manifest } = await createBackup(db.runtime.db, { dir: backupDir, appVersion: 'test' });
    archive = file.path;
    expect(listBackups(backupDir).map((b) => b.path)).toEqual([archive]);
    expect(manifest.backend).toBe(backend);
    expect(manifest.migrations.map((m) => m.version)).toContain(1);
    expect(manifest.tables.map((t) => t.name).sort()).toEqual(Object.keys(before).sort());
    for (const t of manifest.tables) expect(t.rows).toBe(before[t.name]!.length);
    // Parents come before children.
    const order = manifest.tables.map((t) => t.name);
    expect(order.indexOf('users')).toBeLessThan(order.indexOf('projects'));
    expect(order.indexOf('projects')).toBeLessThan(order.indexOf('molecules'));
    expect(order).not.toContain('schema_migrations');
    expect((await readManifest(archive)).tables).toEqual(manifest.tables);
  });

  it('restores identical data after a wipe, every table row for row, values bit for bit', async () => {
    await wipe(db.runtime.db);
    expect(Object.values(await everyRow(db.runtime.db)).every((rows) => rows.length === 0)).toBe(true);
    const report = await restoreBackup(db.runtime.db, archive);
    expect(report.safetyBackup).toBeNull();
    expect(await everyRow(db.runtime.db)).toEqual(before);
    expect(await exactValues(db.runtime.db)).toEqual(beforeExact);
    const manifest = await readManifest(archive);
    expect((await tableDigests(db.runtime.db)).map((t) => [t.name, t.rows, t.sha256])).toEqual(manifest.tables.map((t) => [t.name, t.rows, t.sha256]));
  });

  it('leaves sequences and identities past the restored rows, and triggers working again', async () => {
    const next = await db.runtime.db.asMaintenance((tx) => tx.query<{ id: string; ident: number; doubled: string }>(
      "insert into ops_types (n) values (1) returning id::text, ident, doubled::text"));
    expect(next.rows[0]).toEqual({ id: '3', ident: 3, doubled: '6' });
    const audits = await db.runtime.db.asMaintenance(async (tx) => {
      const before = await tx.query<{ n: string }>('select count(*)::text as n from audit_log');
      await tx.query("insert into sources (key, title) values ('after-restore', 'x')");
      const after = await tx.query<{ n: string; max: string }>('select count(*)::text as n, max(id)::text as max from audit_log');
      return [Number(before.rows[0]!.n), Number(after.rows[0]!.n)];
    });
    expect(audits[1]).toBe(audits[0]! + 1);
    await db.runtime.db.asMaintenance((tx) => tx.query("delete from sources where key = 'after-restore'"));
    await db.runtime.db.asMaintenance((tx) => tx.query('delete from ops_types where n = 1'));
  });

  it('refuses a non-empty target without force, and with force takes a safety backup first', async () => {
    await expect(restoreBackup(db.runtime.db, archive)).rejects.toThrow(/not empty .*--force/);
    await db.runtime.db.asMaintenance((tx) => tx.query("insert into sources (key, title) values ('only-in-target', 'gone after restore')"));
    const report = await restoreBackup(db.runtime.db, archive, {
      force: true,
      safetyBackup: async () => (await createBackup(db.runtime.db, { dir: backupDir, appVersion: 'test', label: 'pre-restore' })).file,
    });
    expect(report.safetyBackup?.label).toBe('pre-restore');
    expect(existsSync(report.safetyBackup!.path)).toBe(true);
    const safetyRows = await readManifest(report.safetyBackup!.path);
    expect(safetyRows.tables.find((t) => t.name === 'sources')!.rows).toBe(before.sources!.length + 1);
    expect(await everyRow(db.runtime.db)).toEqual(before);
  });

  it('verify restores into a scratch embedded database and detects a tampered archive', async () => {
    await db.runtime.db.asMaintenance((tx) => tx.query('drop table ops_types'));
    const { file } = await createBackup(db.runtime.db, { dir: backupDir, appVersion: 'test' });
    const good = await verifyBackup(file.path);
    expect(good.problems).toEqual([]);
    expect(good.ok).toBe(true);
    expect(good.tables.every((t) => t.ok && t.restoredSha256 === t.expectedSha256)).toBe(true);

    // Change one character of one molecule row, keep everything else (including the gzip framing) valid.
    const lines = gunzipSync(readFileSync(file.path)).toString('utf8').split('\n');
    const index = lines.findIndex((l) => l.startsWith('{') && l.includes('"morgan_fp"') && l.includes('"formula": "C2H6O"'));
    const original = lines[index]!;
    lines[index] = original.replace('"formula": "C2H6O"', '"formula": "C2H6S"');
    expect(lines[index]).not.toBe(original);
    const tampered = join(backupDir, 'tampered.ndjson.gz');
    writeFileSync(tampered, gzipSync(lines.join('\n')));
    const bad = await verifyBackup(tampered);
    expect(bad.ok).toBe(false);
    expect(bad.problems.join('\n')).toMatch(/molecules does not match its checksum/);
    // The same archive never reaches a real database either: the load rolls back.
    const rowsBefore = await everyRow(db.runtime.db);
    await expect(restoreBackup(db.runtime.db, tampered, { force: true })).rejects.toThrow(/checksum/);
    expect(await everyRow(db.runtime.db)).toEqual(rowsBefore);

    const truncated = join(backupDir, 'truncated.ndjson.gz');
    writeFileSync(truncated, gzipSync(lines.slice(0, index).join('\n')));
    expect((await verifyBackup(truncated)).problems.join('\n')).toMatch(/truncated|ends after/);
  });
});

const serverUrl = process.env.TEST_DATABASE_URL;
const postgres = BACKENDS.find((b) => b.name === 'postgres')!;

describe.skipIf(postgres.skipReason !== null)(`backups across backends${postgres.skipReason ? ` [${postgres.skipReason}]` : ''}`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  async function emptyPostgres(): Promise<Db> {
    const name = `cryoprotect_xb_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(serverUrl as string);
    url.pathname = `/${name}`;
    const db = await openDb({ databaseUrl: url.toString(), dataDir: tmpdir() });
    cleanups.push(async () => {
      await db.close();
      const a = new pg.Client({ connectionString: serverUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    });
    return db;
  }

  async function emptyPglite(): Promise<Db> {
    const dir = mkdtempSync(join(tmpdir(), 'cryoprotect-xb-'));
    const db = await openDb({ databaseUrl: null, dataDir: dir });
    cleanups.push(async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return db;
  }

  for (const [from, to] of [['pglite', 'postgres'], ['postgres', 'pglite']] as const) {
    it(`a backup of ${from} restores into an empty ${to} with identical rows and checksums`, async () => {
      const source: TestDatabase = await openTestDatabase(from);
      cleanups.push(() => source.close());
      await migrateUp(source.runtime.db);
      await insertRandomData(source.runtime.db, from === 'pglite' ? 3 : 4);
      const dir = mkdtempSync(join(tmpdir(), 'cryoprotect-xb-backups-'));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      const { file, manifest } = await createBackup(source.runtime.db, { dir, appVersion: 'test' });
      expect(manifest.backend).toBe(from);
      const target = to === 'postgres' ? await emptyPostgres() : await emptyPglite();
      await restoreBackup(target, file.path);
      expect(await everyRow(target)).toEqual(await everyRow(source.runtime.db));
      expect(await exactValues(target)).toEqual(await exactValues(source.runtime.db));
      expect((await tableDigests(target)).map((t) => t.sha256)).toEqual(manifest.tables.map((t) => t.sha256));
    });
  }
});
