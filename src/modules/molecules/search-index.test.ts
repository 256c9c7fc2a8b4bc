import { describe, expect, it } from 'vitest';
import { MoleculeSearchIndex, type IndexEntry } from './search-index.ts';

function fp(bits: number[]): Uint8Array {
  const out = new Uint8Array(256);
  for (const b of bits) out[b >> 3]! |= 1 << (b & 7);
  return out;
}

const entry = (id: string, projectId: string | null, bits: number[], pattern: number[] | null = bits): IndexEntry => ({
  id, projectId, smiles: `S${id}`, morganFp: fp(bits), patternFp: pattern ? fp(pattern) : null,
});

function source(rows: IndexEntry[]) {
  const loads: (string | null)[] = [];
  return {
    loads,
    rows,
    loadScope: async (projectId: string | null) => {
      loads.push(projectId);
      return rows.filter((r) => r.projectId === projectId);
    },
    fetch: async (ids: readonly string[]) => rows.filter((r) => ids.includes(r.id)),
  };
}

describe('MoleculeSearchIndex', () => {
  it('loads only the scopes a search asks for, once, and ranks across them', async () => {
    const src = source([entry('a', null, [1, 2, 3]), entry('b', null, [1, 2]), entry('p', 'P', [1, 2, 3]), entry('q', 'Q', [1, 2, 3])]);
    const index = new MoleculeSearchIndex(src);
    const hits = await index.topK([null, 'P'], fp([1, 2, 3]), 3);
    expect(hits.map((h) => h.id).sort()).toEqual(['a', 'b', 'p']);
    expect(hits[2]).toMatchObject({ id: 'b' });
    expect(hits[2]!.similarity).toBeCloseTo(2 / 3);
    await index.threshold([null], fp([1, 2, 3]), 0.9);
    expect(src.loads).toEqual([null, 'P']);
    expect(index.loadedScopes().sort()).toEqual(['P', 'public']);
  });

  it('applies upserts, moves between scopes and deletes; ignores scopes not loaded yet', async () => {
    const src = source([entry('a', null, [1, 2, 3])]);
    const index = new MoleculeSearchIndex(src);
    await index.topK([null], fp([1]), 1);
    await index.upsert([entry('n', null, [7, 8]), entry('x', 'X', [7, 8])]);
    expect((await index.topK([null], fp([7, 8]), 1))[0]).toMatchObject({ id: 'n', similarity: 1 });
    expect(index.size).toBe(2); // X is not loaded, so x is not held
    await index.upsert([entry('n', 'Y', [7, 8])]);
    expect((await index.threshold([null], fp([7, 8]), 0.5)).map((h) => h.id)).toEqual([]);
    await index.remove(['a']);
    expect(await index.threshold([null], fp([1, 2, 3]), 0.1)).toEqual([]);
  });

  it('re-reads rows changed elsewhere by id, dropping rows that are gone', async () => {
    const src = source([entry('a', null, [1]), entry('b', null, [2])]);
    const index = new MoleculeSearchIndex(src);
    await index.topK([null], fp([1]), 5);
    src.rows.push(entry('c', null, [3]));
    src.rows.splice(0, 2, ...src.rows.slice(2)); // a and b deleted in the database
    await index.apply({ upserted: ['c', 'a'], deleted: ['b'] });
    expect((await index.threshold([null], fp([1, 2, 3]), 0.01)).map((h) => h.id)).toEqual(['c']);
    index.invalidate();
    expect((await index.threshold([null], fp([1, 2, 3]), 0.01)).map((h) => h.id)).toEqual(['c']);
    expect(src.loads).toEqual([null, null]);
  });

  it('pre-screens substructure candidates with pattern fingerprints, keeping rows without one', async () => {
    const src = source([entry('has', null, [1], [1, 2, 3]), entry('lacks', null, [1], [1]), entry('unknown', null, [1], null)]);
    const index = new MoleculeSearchIndex(src);
    const candidates = await index.substructureCandidates([null], fp([2, 3]));
    expect(candidates.map((c) => c.id).sort()).toEqual(['has', 'unknown']);
    expect(candidates.find((c) => c.id === 'has')?.smiles).toBe('Shas');
  });

  it('keeps pattern fingerprints aligned when removing from the middle', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => entry(`m${i}`, null, [i % 2048], [i % 2048]));
    const index = new MoleculeSearchIndex(source(rows));
    await index.substructureCandidates([null], fp([0])); // load the scope
    await index.remove(['m5', 'm100']);
    const candidates = await index.substructureCandidates([null], fp([1999]));
    expect(candidates.map((c) => c.id)).toEqual(['m1999']);
    expect((await index.substructureCandidates([null], fp([5]))).map((c) => c.id)).toEqual([]);
  });

  it('loads a scope page by page and keeps a write that arrives while it loads', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => entry(`m${i}`, null, [i % 2048, (i * 7) % 2048]));
    let release: () => void = () => {};
    const secondPage = new Promise<void>((resolve) => (release = resolve));
    const index = new MoleculeSearchIndex({
      async *loadScope() {
        yield rows.slice(0, 6000);
        await secondPage;
        yield rows.slice(6000);
      },
      fetch: async () => [],
    });
    const search = index.topK([null], fp([3, 21]), 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const write = index.upsert([entry('late', null, [3, 21, 5])]);
    release();
    await write;
    expect(await search).toEqual([{ id: 'm3', similarity: 1 }]);
    expect(index.size).toBe(10_001);
    expect((await index.topK([null], fp([3, 21, 5]), 1))[0]).toEqual({ id: 'late', similarity: 1 });
  });
});
