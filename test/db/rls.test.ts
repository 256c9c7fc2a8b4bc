import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor, Queryable } from '../../src/db/db.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

/**
 * Row-level security is the guard, not the API: these tests speak raw SQL as the app role and show that one
 * user cannot read, change or delete another user's project rows, whatever the WHERE clause says.
 */
const FP = Buffer.alloc(256);

async function makeUser(db: TestDatabase, email: string, admin = false): Promise<Actor> {
  const id = await db.runtime.db.asMaintenance(async (tx) => {
    const r = await tx.query<{ id: string }>('insert into users (email, display_name, is_admin) values ($1, $2, $3) returning id', [email, email, admin]);
    return r.rows[0]!.id;
  });
  return { userId: id };
}

async function insertMolecule(tx: Queryable, projectId: string | null, inchikey: string): Promise<string> {
  const r = await tx.query<{ id: string }>(
    `insert into molecules (project_id, name, canonical_smiles, inchi, inchikey, formula, molecular_weight, exact_mass, morgan_fp)
     values ($1, 'secret', 'C', 'InChI=1S/CH4/h1H4', $2, 'CH4', 16.04, 16.03, $3) returning id`,
    [projectId, inchikey, FP],
  );
  return r.rows[0]!.id;
}

describeEachBackend('row-level security', (backend) => {
  let db: TestDatabase;
  let alice: Actor;
  let bob: Actor;
  let aliceProject: string;
  let aliceMolecule: string;
  let bobProject: string;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    alice = await makeUser(db, `alice-${backend}@lab.test`, true);
    bob = await makeUser(db, `bob-${backend}@lab.test`);
    aliceProject = await db.runtime.db.asUser(alice, async (tx) => {
      const r = await tx.query<{ id: string }>("insert into projects (name, created_by) values ('Alice lab', $1) returning id", [alice.userId]);
      return r.rows[0]!.id;
    });
    bobProject = await db.runtime.db.asUser(bob, async (tx) => {
      const r = await tx.query<{ id: string }>("insert into projects (name, created_by) values ('Bob lab', $1) returning id", [bob.userId]);
      return r.rows[0]!.id;
    });
    aliceMolecule = await db.runtime.db.asUser(alice, (tx) => insertMolecule(tx, aliceProject, 'AAAAAAAAAAAAAA-BBBBBBBBBB-N'));
  });
  afterAll(async () => db?.close());

  it('requests run as the non-superuser app role', async () => {
    const row = await db.runtime.db.asUser(bob, async (tx) => (await tx.query<{ current_user: string; su: string }>(
      "select current_user, current_setting('is_superuser') as su")).rows[0]);
    expect(row).toEqual({ current_user: 'cryoprotect_app', su: 'off' });
  });

  it('the creator becomes owner and sees their own rows', async () => {
    const rows = await db.runtime.db.asUser(alice, async (tx) => (await tx.query<{ id: string }>('select id from molecules where project_id = $1', [aliceProject])).rows);
    expect(rows.map((r) => r.id)).toEqual([aliceMolecule]);
    const role = await db.runtime.db.asUser(alice, async (tx) => (await tx.query<{ r: string }>('select app.project_role($1) as r', [aliceProject])).rows[0]?.r);
    expect(role).toBe('owner');
  });

  it("another user cannot read the project's rows, even naming them by id", async () => {
    const seen = await db.runtime.db.asUser(bob, async (tx) => ({
      byId: (await tx.query('select * from molecules where id = $1', [aliceMolecule])).rowCount,
      all: (await tx.query('select * from molecules where project_id is not null')).rowCount,
      projects: (await tx.query('select * from projects where id = $1', [aliceProject])).rowCount,
      members: (await tx.query('select * from project_members where project_id = $1', [aliceProject])).rowCount,
      count: (await tx.query<{ n: string }>('select count(*) as n from molecules where true or id = $1', [aliceMolecule])).rows[0]?.n,
    }));
    expect(seen).toEqual({ byId: 0, all: 0, projects: 0, members: 0, count: '32' });
  });

  it('another user cannot update or delete the rows', async () => {
    const changed = await db.runtime.db.asUser(bob, async (tx) => ({
      update: (await tx.query("update molecules set name = 'stolen' where id = $1", [aliceMolecule])).rowCount,
      updateAll: (await tx.query("update molecules set name = 'stolen' where project_id = $1", [aliceProject])).rowCount,
      del: (await tx.query('delete from molecules where id = $1', [aliceMolecule])).rowCount,
      delProject: (await tx.query('delete from projects where id = $1', [aliceProject])).rowCount,
    }));
    expect(changed).toEqual({ update: 0, updateAll: 0, del: 0, delProject: 0 });
    const name = await db.runtime.db.asUser(alice, async (tx) => (await tx.query<{ name: string }>('select name from molecules where id = $1', [aliceMolecule])).rows[0]?.name);
    expect(name).toBe('secret');
  });

  it('another user cannot write into the project or make themselves a member', async () => {
    await expect(db.runtime.db.asUser(bob, (tx) => insertMolecule(tx, aliceProject, 'CCCCCCCCCCCCCC-DDDDDDDDDD-N')))
      .rejects.toThrow(/row-level security/);
    await expect(db.runtime.db.asUser(bob, (tx) => tx.query("insert into project_members (project_id, user_id, role) values ($1, $2, 'owner')", [aliceProject, bob.userId])))
      .rejects.toThrow(/row-level security/);
    await expect(db.runtime.db.asUser(bob, (tx) => tx.query('update molecules set project_id = $1 where id = $2', [bobProject, aliceMolecule])))
      .resolves.toMatchObject({ rowCount: 0 });
  });

  it('reference rows are readable by everyone but writable only by admins', async () => {
    const count = await db.runtime.db.asUser(bob, async (tx) => (await tx.query('select 1 from molecules where project_id is null')).rowCount);
    expect(count).toBe(32);
    await expect(db.runtime.db.asUser(bob, (tx) => insertMolecule(tx, null, 'EEEEEEEEEEEEEE-FFFFFFFFFF-N'))).rejects.toThrow(/row-level security/);
    const updated = await db.runtime.db.asUser(bob, async (tx) => (await tx.query("update molecules set name = 'x' where project_id is null")).rowCount);
    expect(updated).toBe(0);
    await expect(db.runtime.db.asUser(alice, (tx) => insertMolecule(tx, null, 'EEEEEEEEEEEEEE-FFFFFFFFFF-N'))).resolves.toBeTypeOf('string');
  });

  it('an admin still cannot read a private project they are not a member of', async () => {
    const seen = await db.runtime.db.asUser(alice, async (tx) => (await tx.query('select 1 from projects where id = $1', [bobProject])).rowCount);
    expect(seen).toBe(0);
  });

  it('without an acting user nothing private is visible', async () => {
    const rows = await db.runtime.db.asMaintenance(async (tx) => {
      await tx.query('set local role cryoprotect_app');
      return (await tx.query('select 1 from molecules where project_id is not null')).rowCount;
    });
    expect(rows).toBe(0);
  });

  it('the app role cannot switch RLS off', async () => {
    await expect(db.runtime.db.asUser(bob, (tx) => tx.query('alter table molecules disable row level security'))).rejects.toThrow(/must be owner/);
    await expect(db.runtime.db.asUser(bob, (tx) => tx.query('alter table molecules no force row level security'))).rejects.toThrow(/must be owner/);
  });

  it.skipIf(backend !== 'postgres')('on a server, a non-superuser login role cannot escape its role', async () => {
    const login = `cryoprotect_login_${process.pid}`;
    await db.runtime.db.asMaintenance(async (tx) => {
      await tx.query(`do $$ begin if not exists (select 1 from pg_roles where rolname = '${login}') then create role ${login} login; end if; end $$`);
      await tx.query(`grant cryoprotect_app to ${login}`);
    });
    const url = new URL(db.databaseUrl!);
    url.username = login;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query("select set_config('app.user_id', $1, false)", [bob.userId]);
      expect((await client.query('select 1 from molecules where id = $1', [aliceMolecule])).rowCount).toBe(0);
      await expect(client.query('set role postgres')).rejects.toThrow(/permission denied/);
      await expect(client.query('alter table molecules disable row level security')).rejects.toThrow(/must be owner/);
    } finally {
      await client.end();
    }
  });
});
