import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import type { Actor } from '../../src/db/db.ts';
import { LOCAL_ADMIN } from '../../src/modules/accounts/local-admin.ts';
import { createMoleculeService } from '../../src/modules/molecules/service.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

const ETHANOL_V2000 = `ethanol
  test

  3  2  0  0  0  0  0  0  0  0999 V2000
    0.0000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0
    1.5000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0
    2.2500    1.2990    0.0000 O   0  0  0  0  0  0  0  0  0  0  0  0
  1  2  1  0
  2  3  1  0
M  END`;

const PROPANOL_V3000 = `propanol
  test

  0  0  0     0  0            999 V3000
M  V30 BEGIN CTAB
M  V30 COUNTS 4 3 0 0 0
M  V30 BEGIN ATOM
M  V30 1 C 0 0 0 0
M  V30 2 C 1.5 0 0 0
M  V30 3 C 2.25 1.299 0 0
M  V30 4 O 3.75 1.299 0 0
M  V30 END ATOM
M  V30 BEGIN BOND
M  V30 1 1 1 2
M  V30 2 1 2 3
M  V30 3 1 3 4
M  V30 END BOND
M  V30 END CTAB
M  END`;

describeEachBackend('molecule registry API', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });

  beforeAll(async () => {
    db = await openTestDatabase(backend, { chem: true, env: { CHEM_WORKERS: '2' } });
    app = await buildServer({ ...db.runtime, version: APP_VERSION });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('registers from V2000 and V3000 molblocks and from an SD record, and requires exactly one structure', async () => {
    const ethanol = await post('/api/v1/molecules', { molblock: ETHANOL_V2000, name: 'Ethanol' });
    expect([200, 201]).toContain(ethanol.statusCode); // ethanol may be reference data already
    expect(ethanol.json()).toMatchObject({ canonicalSmiles: 'CCO', inchikey: 'LFQSCWFLJHTTHZ-UHFFFAOYSA-N' });
    const propanol = await post('/api/v1/molecules', { molblock: PROPANOL_V3000 });
    expect(propanol.statusCode).toBe(201);
    expect(propanol.json().canonicalSmiles).toBe('CCCO');
    const record = await post('/api/v1/molecules', { molblock: `${ETHANOL_V2000}\n>  <CAS>\n64-17-5\n\n$$$$\n` });
    expect(record.statusCode).toBe(200);
    expect(record.json().id).toBe(ethanol.json().id);
    const both = await post('/api/v1/molecules', { smiles: 'CCO', molblock: ETHANOL_V2000 });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0].field).toBe('smiles');
    expect((await post('/api/v1/molecules', { name: 'nothing' })).statusCode).toBe(400);
    const broken = await post('/api/v1/molecules', { molblock: 'not a molblock' });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().errors[0].field).toBe('molblock');
    const garbage = await post('/api/v1/molecules', { smiles: 'this is not SMILES((' });
    expect(garbage.statusCode).toBe(422);
    const tenMb = await post('/api/v1/molecules', { smiles: 'C'.repeat(10 * 1024 * 1024) });
    expect(tenMb.statusCode).toBe(400);
    const tooBig = await app.inject({ method: 'POST', url: '/api/v1/molecules', headers: { 'content-type': 'application/json' }, payload: `{"smiles":"${'C'.repeat(13 * 1024 * 1024)}"}` });
    expect(tooBig.statusCode).toBe(413);
  });

  it('edits synonyms and identifiers, validates CAS check digits, and finds molecules by any identifier', async () => {
    const glycerol = (await app.inject({ method: 'GET', url: '/api/v1/molecules?q=PEDCQBHIVMGVHV-UHFFFAOYSA-N' })).json().items[0];
    const bad = await app.inject({ method: 'PATCH', url: `/api/v1/molecules/${glycerol.id}`, payload: { cas: '56-81-6', chemblId: 'CHEM12' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['cas', 'chemblId']);
    const ok = await app.inject({ method: 'PATCH', url: `/api/v1/molecules/${glycerol.id}`, payload: { cas: '56815', pubchemCid: 'CID 753', chemblId: 'chembl692', synonyms: ['glycerin', 'propane-1,2,3-triol'] } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ identifiers: { cas: '56-81-5', pubchemCid: 753, chemblId: 'CHEMBL692' }, synonyms: ['glycerin', 'propane-1,2,3-triol'] });
    expect(ok.json().links.map((l: { url: string }) => l.url)).toContain('https://pubchem.ncbi.nlm.nih.gov/compound/753');
    for (const q of ['56-81-5', '753', 'CID 753', 'CHEMBL692', 'glycerin']) {
      const ids = (await app.inject({ method: 'GET', url: `/api/v1/molecules?q=${encodeURIComponent(q)}` })).json().items.map((m: { id: string }) => m.id);
      expect(ids, q).toContain(glycerol.id);
    }
    const wildcard = (await app.inject({ method: 'GET', url: '/api/v1/molecules?q=%25' })).json().items;
    expect(wildcard).toEqual([]);
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/molecules/${glycerol.id}`, payload: {} })).statusCode).toBe(400);
    expect((await app.inject({ method: 'PATCH', url: '/api/v1/molecules/00000000-0000-4000-8000-00000000ffff', payload: { name: 'x' } })).statusCode).toBe(404);
  });

  it('filters and sorts by descriptors with keyset pagination that is correct for each sort', async () => {
    const all = (await app.inject({ method: 'GET', url: '/api/v1/molecules?limit=500&minMw=40&maxMw=400' })).json().items as { id: string; molecularWeight: number }[];
    expect(all.length).toBeGreaterThan(10);
    expect(all.every((m) => m.molecularWeight >= 40 && m.molecularWeight <= 400)).toBe(true);
    for (const [sort, field] of [['clogp', 'clogp'], ['molecularWeight', 'molecularWeight'], ['tpsa', 'tpsa']] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const seen: { id: string; value: number }[] = [];
        let cursor: string | null = null;
        do {
          const res = await app.inject({ method: 'GET', url: `/api/v1/molecules?limit=4&minMw=40&maxMw=400&sort=${sort}&order=${order}${cursor ? `&cursor=${cursor}` : ''}` });
          expect(res.statusCode).toBe(200);
          const page = res.json() as { items: Record<string, unknown>[]; nextCursor: string | null };
          seen.push(...page.items.map((m) => ({ id: m.id as string, value: m[field] as number })));
          cursor = page.nextCursor;
        } while (cursor);
        expect(new Set(seen.map((s) => s.id)).size).toBe(all.length);
        const values = seen.map((s) => s.value);
        const sorted = [...values].sort((a, b) => (order === 'asc' ? a - b : b - a));
        expect(values, `${sort} ${order}`).toEqual(sorted);
      }
    }
    const first = (await app.inject({ method: 'GET', url: '/api/v1/molecules?limit=2&sort=clogp' })).json();
    const mismatch = await app.inject({ method: 'GET', url: `/api/v1/molecules?limit=2&sort=tpsa&cursor=${first.nextCursor}` });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().errors[0].field).toBe('cursor');
    expect((await app.inject({ method: 'GET', url: '/api/v1/molecules?sort=colour' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/molecules?minMw=heavy' })).statusCode).toBe(400);
  });

  it('finds similar molecules in top-k and threshold modes, with filters, sorted by similarity', async () => {
    const top = await post('/api/v1/molecules/search/similarity', { smiles: 'OCC(O)CO', k: 5 });
    expect(top.statusCode).toBe(200);
    const body = top.json() as { items: { inchikey: string; similarity: number }[]; total: number };
    expect(body.items).toHaveLength(5);
    expect(body.total).toBe(5);
    expect(body.items[0]).toMatchObject({ inchikey: 'PEDCQBHIVMGVHV-UHFFFAOYSA-N', similarity: 1 });
    const sims = body.items.map((i) => i.similarity);
    expect(sims).toEqual([...sims].sort((a, b) => b - a));
    const threshold = (await post('/api/v1/molecules/search/similarity', { smiles: 'OCC(O)CO', threshold: 0.3 })).json();
    expect(threshold.items.every((i: { similarity: number }) => i.similarity >= 0.3)).toBe(true);
    expect(threshold.total).toBe(threshold.items.length);
    const heavy = (await post('/api/v1/molecules/search/similarity', { smiles: 'OCC(O)CO', k: 3, filters: { minMw: 100 } })).json();
    expect(heavy.items.length).toBe(3);
    const ids = heavy.items.map((i: { id: string }) => i.id);
    const details = await Promise.all(ids.map(async (id: string) => (await app.inject({ method: 'GET', url: `/api/v1/molecules/${id}` })).json()));
    expect(details.every((d) => d.molecularWeight >= 100)).toBe(true);
    expect((await post('/api/v1/molecules/search/similarity', { smiles: 'CCO', k: 3, threshold: 0.5 })).statusCode).toBe(400);
    const garbage = await post('/api/v1/molecules/search/similarity', { smiles: 'C1CC', k: 3 });
    expect(garbage.statusCode).toBe(422);
    expect(garbage.json().errors[0].field).toBe('smiles');
    expect((await post('/api/v1/molecules/search/similarity', { smiles: 'CCO', threshold: 1.5 })).statusCode).toBe(400);
  });

  it('counts substructure matches exactly, limits items, and highlights matches in the depiction', async () => {
    const diol = await post('/api/v1/molecules/search/substructure', { query: '[OX2H][CX4][CX4][OX2H]', limit: 100 });
    expect(diol.statusCode).toBe(200);
    const all = diol.json() as { items: { id: string; canonicalSmiles: string }[]; total: number };
    expect(all.total).toBeGreaterThan(2);
    expect(all.items).toHaveLength(all.total);
    expect(all.items.map((i) => i.canonicalSmiles)).toContain('OCC(O)CO');
    expect(all.items.map((i) => i.canonicalSmiles)).not.toContain('CCO');
    const one = (await post('/api/v1/molecules/search/substructure', { query: '[OX2H][CX4][CX4][OX2H]', limit: 1 })).json();
    expect(one).toMatchObject({ total: all.total });
    expect(one.items).toHaveLength(1);
    const bySmiles = (await post('/api/v1/molecules/search/substructure', { query: 'CS(C)=O', limit: 10 })).json();
    expect(bySmiles.items.map((i: { canonicalSmiles: string }) => i.canonicalSmiles)).toContain('CS(C)=O');
    const bad = await post('/api/v1/molecules/search/substructure', { query: 'C((((', limit: 10 });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe('query');
    const id = all.items.find((i) => i.canonicalSmiles === 'OCC(O)CO')!.id;
    const plain = (await app.inject({ method: 'GET', url: `/api/v1/molecules/${id}/depiction.svg` })).body;
    const highlighted = await app.inject({ method: 'GET', url: `/api/v1/molecules/${id}/depiction.svg?highlight=${encodeURIComponent('[OX2H][CX4][CX4][OX2H]')}` });
    expect(highlighted.statusCode).toBe(200);
    expect(highlighted.body).not.toEqual(plain);
    expect(highlighted.body).toMatch(/<svg[\s\S]*<\/svg>/);
    expect((await app.inject({ method: 'GET', url: `/api/v1/molecules/${id}/depiction.svg?highlight=${encodeURIComponent('C((')}` })).statusCode).toBe(422);
  });

  it('registers a batch with per-row results: registered, duplicate (in the batch and in the database), invalid', async () => {
    const res = await post('/api/v1/molecules:batch', {
      molecules: [
        { smiles: 'OCCCCO', name: 'Butane-1,4-diol' },
        { smiles: 'C1CC' },
        { smiles: 'C(CCO)CO' },
        { smiles: 'OCC(O)CO' },
        { smiles: 'CCCCCO', cas: '12-34-5' },
        { molblock: PROPANOL_V3000 },
      ],
    });
    expect(res.statusCode).toBe(200);
    const results = res.json().results as { index: number; status: string; id?: string; error?: string }[];
    expect(results.map((r) => r.status)).toEqual(['registered', 'invalid', 'duplicate', 'duplicate', 'invalid', 'duplicate']);
    expect(results[2]!.id).toBe(results[0]!.id);
    expect(results[1]!.error).toMatch(/ring|parse/i);
    expect(results[4]!.error).toMatch(/cas/);
    const found = (await app.inject({ method: 'GET', url: '/api/v1/molecules?q=Butane-1,4-diol' })).json().items;
    expect(found).toHaveLength(1);
    // The search index sees the batch at once.
    const sim = (await post('/api/v1/molecules/search/similarity', { smiles: 'OCCCCO', k: 1 })).json();
    expect(sim.items[0].id).toBe(results[0]!.id);
    const tooMany = await post('/api/v1/molecules:batch', { molecules: Array.from({ length: 10_001 }, () => ({ smiles: 'C' })) });
    expect(tooMany.statusCode).toBe(400);
    expect((await post('/api/v1/molecules:batch', { molecules: [] })).statusCode).toBe(400);
    const spec = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining([
      '/api/v1/molecules:batch', '/api/v1/molecules/search/similarity', '/api/v1/molecules/search/substructure',
      '/api/v1/molecules/imports', '/api/v1/molecules/export', '/api/v1/jobs/{id}',
    ]));
  });

  it('keeps duplicates right across chunk boundaries (one transaction per chunk)', async () => {
    const service = createMoleculeService(db.runtime.db, db.runtime.chem);
    const admin: Actor = { userId: LOCAL_ADMIN.id };
    const rows = [{ smiles: 'OCC(O)CCO' }, { smiles: 'C1CC' }, { smiles: 'OCCC(O)CO' }, { smiles: 'CC(O)CC(C)(C)O' }, { smiles: 'OC(C)CC(C)(C)O' }];
    const results = await service.registerMany(admin, null, rows, { chunkSize: 2 });
    expect(results.map((r) => [r.index, r.status])).toEqual([[0, 'registered'], [1, 'invalid'], [2, 'duplicate'], [3, 'registered'], [4, 'duplicate']]);
    expect(results[2]!.id).toBe(results[0]!.id);
    expect(results[4]!.id).toBe(results[3]!.id);
  });

  it('never returns another project\'s molecules from search, and shows them to its members', async () => {
    const { bob, projectId, moleculeId } = await db.runtime.db.asMaintenance(async (tx) => {
      const user = await tx.query<{ id: string }>("insert into users (email, display_name) values ('bob@lab.test', 'Bob') returning id");
      const bobId = user.rows[0]!.id;
      const project = await tx.query<{ id: string }>("insert into projects (name, created_by) values ('Bob private', $1) returning id", [bobId]);
      return { bob: { userId: bobId } satisfies Actor, projectId: project.rows[0]!.id, moleculeId: '' };
    });
    void moleculeId;
    const service = createMoleculeService(db.runtime.db, db.runtime.chem);
    const mine = await service.register(bob, { smiles: 'OCCCCCCCCCCO', name: 'Secret diol', projectId });
    const asBob = await service.substructure(bob, { query: 'OCCCCCCCCCCO', limit: 10 });
    expect(asBob.items.map((i) => i.id)).toContain(mine.molecule.id);
    // The admin (the API's actor) is not a member: neither search shows the row.
    const sub = (await post('/api/v1/molecules/search/substructure', { query: 'OCCCCCCCCCCO', limit: 10 })).json();
    expect(sub.items.map((i: { id: string }) => i.id)).not.toContain(mine.molecule.id);
    const sim = (await post('/api/v1/molecules/search/similarity', { smiles: 'OCCCCCCCCCCO', threshold: 0.1 })).json();
    expect(sim.items.map((i: { id: string }) => i.id)).not.toContain(mine.molecule.id);
    expect((await app.inject({ method: 'GET', url: `/api/v1/molecules/${mine.molecule.id}/depiction.svg` })).statusCode).toBe(404);
    const bobSim = await service.similarity(bob, { smiles: 'OCCCCCCCCCCO', k: 1 });
    expect(bobSim.items[0]?.id).toBe(mine.molecule.id);
  });

  it('imports a CSV file as a job with progress and a per-row report, and refuses unusable files up front', async () => {
    const csv = 'name,smiles,cas\n"Heptane-1,7-diol",OCCCCCCCO,629-30-1\nbroken,C1CC,\nglycerol again,OCC(O)CO,\n"Hexane-2,5-diol",CC(O)CCC(C)O,\n';
    const res = await post('/api/v1/molecules/imports', { format: 'csv', content: csv });
    expect(res.statusCode).toBe(202);
    const job = res.json();
    expect(res.headers.location).toBe(`/api/v1/jobs/${job.id}`);
    let state = job;
    for (let i = 0; i < 200 && (state.status === 'queued' || state.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = (await app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}` })).json();
    }
    expect(state).toMatchObject({ status: 'succeeded', progress: { done: 4, total: 4 }, result: { counts: { registered: 2, duplicate: 1, invalid: 1 } } });
    // The finished job shows up in the job metrics the alerts and dashboard read.
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(new RegExp(`job_duration_seconds_count\\{queue="${job.kind}",status="succeeded"\\} [1-9]`));
    expect(metrics).toMatch(/# TYPE jobs_queue_depth gauge/);
    expect(state.result.rows.map((r: { status: string; line: number }) => [r.status, r.line])).toEqual([['registered', 2], ['invalid', 3], ['duplicate', 4], ['registered', 5]]);
    const wrong = await post('/api/v1/molecules/imports', { format: 'csv', content: csv, smilesColumn: 'SMILES' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().detail).toMatch(/columns found: "name", "smiles", "cas"/);
    expect(wrong.json().errors[0].field).toBe('smilesColumn');
    expect((await post('/api/v1/molecules/imports', { format: 'csv', content: '' })).json().detail).toMatch(/empty/);
    expect((await post('/api/v1/molecules/imports', { format: 'sdf', content: 'hello\nworld\n' })).statusCode).toBe(422);
    expect((await app.inject({ method: 'GET', url: '/api/v1/jobs/00000000-0000-4000-8000-00000000ffff' })).statusCode).toBe(404);
    const sdf = await post('/api/v1/molecules/imports', { format: 'sdf', content: `${ETHANOL_V2000}\n$$$$\nbroken\n$$$$\n` });
    expect(sdf.statusCode).toBe(202);
  });

  it('exports the selection as CSV, JSON and SD file with descriptors, identifiers and sources', async () => {
    const csv = await app.inject({ method: 'GET', url: '/api/v1/molecules/export?format=csv&q=Glycerol' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const [header, ...lines] = csv.body.trim().split('\n');
    expect(header).toMatch(/^id,name,synonyms,canonical_smiles,inchi,inchikey/);
    expect(header).toMatch(/source_doi/);
    expect(header).toMatch(/descriptor_tpsa/);
    expect(lines.some((l) => l.includes('PEDCQBHIVMGVHV-UHFFFAOYSA-N') && l.includes('10.1038/164666a0'))).toBe(true);
    const json = (await app.inject({ method: 'GET', url: '/api/v1/molecules/export?format=json&q=PEDCQBHIVMGVHV-UHFFFAOYSA-N' })).json();
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({ name: 'Glycerol', source: { key: 'polge1949' } });
    expect(json[0].descriptors.NumHBD).toBe(3);
    const sdf = await app.inject({ method: 'GET', url: '/api/v1/molecules/export?format=sdf&q=PEDCQBHIVMGVHV-UHFFFAOYSA-N' });
    expect(sdf.body).toMatch(/^Glycerol\n[\s\S]*V2000[\s\S]*M {2}END\n[\s\S]*> {2}<inchikey>\nPEDCQBHIVMGVHV-UHFFFAOYSA-N\n[\s\S]*\$\$\$\$\n$/);
    expect((await app.inject({ method: 'GET', url: '/api/v1/molecules/export?format=xls' })).statusCode).toBe(400);
    const empty = (await app.inject({ method: 'GET', url: '/api/v1/molecules/export?format=json&q=nothing-like-this' })).json();
    expect(empty).toEqual([]);
  });

  it('deletes a molecule and drops it from the search index', async () => {
    const created = (await post('/api/v1/molecules', { smiles: 'CC(C)(C)CCN', name: '3,3-Dimethylbutylamine' })).json();
    expect((await post('/api/v1/molecules/search/similarity', { smiles: 'CC(C)(C)CCN', k: 1 })).json().items[0].id).toBe(created.id);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/molecules/${created.id}` })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: `/api/v1/molecules/${created.id}` })).statusCode).toBe(404);
    const after = (await post('/api/v1/molecules/search/similarity', { smiles: 'CC(C)(C)CCN', k: 3 })).json();
    expect(after.items.map((i: { id: string }) => i.id)).not.toContain(created.id);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/molecules/${created.id}` })).statusCode).toBe(404);
  });
});
