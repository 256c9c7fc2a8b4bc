import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  describe('visibility (migration 0011)', () => {
    let carol: Actor;
    let experiment: string;
    let mixture: string;

    beforeAll(async () => {
      carol = await makeUser(db, `carol-${backend}@lab.test`);
      // Carol reviews in Alice's project: she may update experiments (to review them), but not publish them.
      await db.runtime.db.asUser(alice, (tx) => tx.query("insert into project_members (project_id, user_id, role) values ($1, $2, 'reviewer')", [aliceProject, carol.userId]));
      ({ mixture, experiment } = await db.runtime.db.asUser(alice, async (tx) => {
        const m = (await tx.query<{ id: string }>("insert into mixtures (project_id, name, created_by) values ($1, 'Alice mix', $2) returning id", [aliceProject, alice.userId])).rows[0]!.id;
        await tx.query("insert into mixture_components (mixture_id, position, molecule_id, amount, unit) values ($1, 0, $2, 1, 'mol/kg')", [m, aliceMolecule]);
        const s = (await tx.query<{ id: string }>("insert into sample_types (project_id, name, kind) values ($1, 'Alice cells', 'cell') returning id", [aliceProject])).rows[0]!.id;
        const e = (await tx.query<{ id: string }>(
          "insert into experiments (project_id, mixture_id, sample_type_id, title, protocol, created_by) values ($1, $2, $3, 'Alice run', '{}', $4) returning id",
          [aliceProject, m, s, alice.userId])).rows[0]!.id;
        return { mixture: m, experiment: e };
      }));
    });

    const visibilityOf = (table: string, id: string) => db.runtime.db.asMaintenance(async (tx) =>
      (await tx.query<{ visibility: string }>(`select visibility from ${table} where id = $1`, [id])).rows[0]?.visibility);

    it("another user cannot flip the visibility of the project's rows, whatever the statement", async () => {
      const changed = await db.runtime.db.asUser(bob, async (tx) => ({
        molecule: (await tx.query("update molecules set visibility = 'public' where id = $1", [aliceMolecule])).rowCount,
        mixtures: (await tx.query("update mixtures set visibility = 'public' where project_id = $1", [aliceProject])).rowCount,
        experiments: (await tx.query("update experiments set visibility = 'public' where true")).rowCount,
        samples: (await tx.query("update sample_types set visibility = 'public' where project_id = $1", [aliceProject])).rowCount,
      }));
      expect(changed).toEqual({ molecule: 0, mixtures: 0, experiments: 0, samples: 0 });
      expect(await visibilityOf('molecules', aliceMolecule)).toBe('project');
      expect(await visibilityOf('experiments', experiment)).toBe('project');
    });

    it('a reviewer of the project cannot publish its experiments either', async () => {
      await expect(db.runtime.db.asUser(carol, (tx) => tx.query("update experiments set visibility = 'public' where id = $1", [experiment])))
        .rejects.toThrow(/owners and editors/);
      expect(await visibilityOf('experiments', experiment)).toBe('project');
    });

    it('a public row is readable by other users, with its parts, but still not writable', async () => {
      await db.runtime.db.asUser(alice, (tx) => tx.query("update experiments set visibility = 'public' where id = $1", [experiment]));
      expect(await visibilityOf('mixtures', mixture)).toBe('public');
      expect(await visibilityOf('molecules', aliceMolecule)).toBe('public');
      const seen = await db.runtime.db.asUser(bob, async (tx) => ({
        experiment: (await tx.query('select 1 from experiments where id = $1', [experiment])).rowCount,
        mixture: (await tx.query('select 1 from mixtures where id = $1', [mixture])).rowCount,
        components: (await tx.query('select 1 from mixture_components where mixture_id = $1', [mixture])).rowCount,
        molecule: (await tx.query('select 1 from molecules where id = $1', [aliceMolecule])).rowCount,
        sample: (await tx.query('select 1 from sample_types s join experiments e on e.sample_type_id = s.id where e.id = $1', [experiment])).rowCount,
        project: (await tx.query('select 1 from projects where id = $1', [aliceProject])).rowCount,
      }));
      expect(seen).toEqual({ experiment: 1, mixture: 1, components: 1, molecule: 1, sample: 1, project: 0 });
      const changed = await db.runtime.db.asUser(bob, async (tx) => ({
        hide: (await tx.query("update experiments set visibility = 'project' where id = $1", [experiment])).rowCount,
        rename: (await tx.query("update molecules set name = 'stolen' where id = $1", [aliceMolecule])).rowCount,
        retitle: (await tx.query("update experiments set title = 'stolen' where id = $1", [experiment])).rowCount,
        recipe: (await tx.query('delete from mixture_components where mixture_id = $1', [mixture])).rowCount,
        del: (await tx.query('delete from mixtures where id = $1', [mixture])).rowCount,
      }));
      expect(changed).toEqual({ hide: 0, rename: 0, retitle: 0, recipe: 0, del: 0 });
      await expect(db.runtime.db.asUser(bob, (tx) => tx.query(
        "insert into mixture_components (mixture_id, position, molecule_id, amount, unit) values ($1, 1, $2, 1, 'mol/kg')", [mixture, aliceMolecule])))
        .rejects.toThrow(/row-level security/);
    });

    it('"public" still means signed-in: without an acting user nothing of the project is visible', async () => {
      const rows = await db.runtime.db.asMaintenance(async (tx) => {
        await tx.query('set local role cryoprotect_app');
        return (await tx.query('select 1 from molecules where id = $1 union all select 1 from experiments where id = $2', [aliceMolecule, experiment])).rowCount;
      });
      expect(rows).toBe(0);
    });

    it('a row a public row needs cannot be made private before it', async () => {
      await expect(db.runtime.db.asUser(alice, (tx) => tx.query("update mixtures set visibility = 'project' where id = $1", [mixture])))
        .rejects.toThrow(/still used by the public experiment/);
      await db.runtime.db.asUser(alice, async (tx) => {
        await tx.query("update experiments set visibility = 'project' where id = $1", [experiment]);
        await tx.query("update mixtures set visibility = 'project' where id = $1", [mixture]);
        await tx.query("update molecules set visibility = 'project' where id = $1", [aliceMolecule]);
      });
      expect(await db.runtime.db.asUser(bob, async (tx) => (await tx.query('select 1 from molecules where id = $1', [aliceMolecule])).rowCount)).toBe(0);
    });
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
