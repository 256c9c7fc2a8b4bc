import { afterAll, describe, expect, it } from 'vitest';
import { isPatternSuperset } from './fingerprint.ts';
import { ChemInputError, ChemInternalError, createChemPool } from './pool.ts';

describe('ChemPool (2 worker threads)', () => {
  const pool = createChemPool({ size: 2, testHooks: true });
  afterAll(() => pool.close());

  it('registers molecules concurrently, rejects bad SMILES with ChemInputError, and keeps serving', async () => {
    const smiles = ['OCC(O)CO', 'CS(C)=O', 'OCCO', 'CC(O)CO', 'NC=O', 'CC(N)=O', 'NC(N)=O', 'CO'];
    const [bad, ...good] = await Promise.allSettled([
      pool.register({ smiles: 'C1CC(' }),
      ...smiles.map((s) => pool.register({ smiles: s })),
    ]);
    expect(bad?.status).toBe('rejected');
    const error = (bad as PromiseRejectedResult).reason as unknown;
    expect(error).toBeInstanceOf(ChemInputError);
    expect((error as ChemInputError).reason).toMatch(/^SMILES could not be parsed: /);
    const registered = good.map((r) => (r.status === 'fulfilled' ? r.value.canonicalSmiles : `failed: ${String(r.reason)}`));
    expect(registered).toEqual(smiles);
    const glycerol = good[0] as PromiseFulfilledResult<{ inchikey: string; morganFingerprint: Uint8Array }>;
    expect(glycerol.value.inchikey).toBe('PEDCQBHIVMGVHV-UHFFFAOYSA-N');
    expect(glycerol.value.morganFingerprint).toBeInstanceOf(Uint8Array);
    expect(pool.internals.workersStarted).toBe(2); // an input error does not cost a worker

    const after = await pool.register({ smiles: 'CS(C)=O' });
    expect(after.inchikey).toBe('IAZDPXIOMUYVGZ-UHFFFAOYSA-N');
  });

  it('replaces a worker whose RDKit trapped, and the pool keeps working', async () => {
    const before = pool.internals.workersStarted;
    await expect(pool.internals.send({ kind: 'simulateWasmTrap' })).rejects.toBeInstanceOf(ChemInternalError);
    expect(pool.internals.workersStarted).toBe(before + 1);
    const results = await Promise.all(['OCCO', 'OCCCO', 'CCO'].map((s) => pool.register({ smiles: s })));
    expect(results.map((r) => r.canonicalSmiles)).toEqual(['OCCO', 'OCCCO', 'CCO']);
  });

  it('depicts with highlights and runs a substructure search split across workers', async () => {
    const svg = await pool.depict({ smiles: 'OCC(O)CO', width: 250, height: 180, highlightQuery: '[OX2H]' });
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
    const candidates = Array.from({ length: 450 }, (_, i) => ({ id: i, smiles: i % 3 === 0 ? 'OCCO' : 'CCCC' }));
    const hits = await pool.substructureSearch('[OX2H]', candidates);
    expect(hits).toEqual(candidates.filter((c) => c.id % 3 === 0).map((c) => c.id));
    const [molFp, queryFp] = await Promise.all([pool.patternFingerprint({ smiles: 'OCC(O)CO' }), pool.patternFingerprint({ query: 'OCCO' })]);
    expect(molFp).toBeInstanceOf(Uint8Array);
    expect(molFp.length).toBe(256);
    expect(isPatternSuperset(molFp, queryFp)).toBe(true);
  });

  it('rejects queued and later requests after close()', async () => {
    const local = createChemPool({ size: 1 });
    const pending = [local.register({ smiles: 'CCO' }), local.register({ smiles: 'CCCO' })];
    const checks = pending.map((p) => expect(p).rejects.toThrow(/closed/));
    await local.close();
    await Promise.all(checks);
    await expect(local.register({ smiles: 'C' })).rejects.toThrow(/closed/);
  });
});
