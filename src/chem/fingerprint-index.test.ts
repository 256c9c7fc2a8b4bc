import { describe, expect, it } from 'vitest';
import { tanimoto } from './fingerprint.ts';
import { FingerprintIndex } from './fingerprint-index.ts';
import { minCommonBits } from './fingerprint-kernels.ts';

// Small deterministic PRNG (mulberry32) so failures reproduce.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fingerprints that share bits with a few "scaffolds", with varying density, so similarities spread over [0, 1]. */
function makeFingerprints(n: number, bits: number, seed: number): Uint8Array[] {
  const random = rng(seed);
  const scaffolds = Array.from({ length: 5 }, () => Array.from({ length: 40 }, () => Math.floor(random() * bits)));
  return Array.from({ length: n }, () => {
    const fp = new Uint8Array(bits / 8);
    const set = (bit: number) => (fp[bit >> 3] = (fp[bit >> 3] as number) | (1 << (bit & 7)));
    const scaffold = scaffolds[Math.floor(random() * scaffolds.length)] as number[];
    for (const bit of scaffold) if (random() < 0.8) set(bit);
    const extra = Math.floor(random() * 60);
    for (let i = 0; i < extra; i++) set(Math.floor(random() * bits));
    return fp;
  });
}

function bruteForce(entries: Map<string, Uint8Array>, query: Uint8Array) {
  return [...entries].map(([id, fp]) => ({ id, similarity: tanimoto(query, fp) }));
}

const bySimilarity = (a: { similarity: number }, b: { similarity: number }) => b.similarity - a.similarity;

describe('FingerprintIndex', () => {
  const fps = makeFingerprints(600, 2048, 42);
  const queries = makeFingerprints(25, 2048, 7);

  function buildIndex() {
    // Tiny blocks, so the 600 entries span many blocks and blocks are re-laid out (1 → 4 entries) mid-build.
    const index = new FingerprintIndex<string>(2048, { blockEntries: { min: 1, max: 4 } });
    const entries = new Map<string, Uint8Array>();
    fps.forEach((fp, i) => {
      index.add(`m${i}`, fp);
      entries.set(`m${i}`, fp);
    });
    // Remove every 7th entry and replace every 11th, so slots get moved and rewritten.
    fps.forEach((_, i) => {
      if (i % 7 === 0) {
        expect(index.remove(`m${i}`)).toBe(true);
        entries.delete(`m${i}`);
      } else if (i % 11 === 0) {
        const replacement = fps[(i * 13) % fps.length] as Uint8Array;
        index.add(`m${i}`, replacement);
        entries.set(`m${i}`, replacement);
      }
    });
    return { index, entries };
  }

  it('threshold() returns exactly the brute-force hits, most similar first', () => {
    const { index, entries } = buildIndex();
    expect(index.size).toBe(entries.size);
    for (const query of queries) {
      for (const t of [0, 0.3, 0.5, 0.7, 1]) {
        const expected = bruteForce(entries, query).filter((h) => h.similarity >= t);
        const got = index.threshold(query, t);
        expect(new Set(got.map((h) => h.id))).toEqual(new Set(expected.map((h) => h.id)));
        for (const hit of got) expect(hit.similarity).toBe(tanimoto(query, entries.get(hit.id) as Uint8Array));
        expect(got.map((h) => h.similarity)).toEqual([...got].sort(bySimilarity).map((h) => h.similarity));
      }
    }
  });

  it('topK() returns the k best similarities of a brute-force scan', () => {
    const { index, entries } = buildIndex();
    for (const query of queries) {
      for (const k of [1, 5, 20, 1000]) {
        const expected = bruteForce(entries, query).sort(bySimilarity).slice(0, k);
        const got = index.topK(query, k);
        expect(got.map((h) => h.similarity)).toEqual(expected.map((h) => h.similarity));
        for (const hit of got) expect(hit.similarity).toBe(tanimoto(query, entries.get(hit.id) as Uint8Array));
      }
    }
  });

  it('applies the filter and finds an exact copy of an indexed fingerprint', () => {
    const { index, entries } = buildIndex();
    const even = (id: string) => Number(id.slice(1)) % 2 === 0;
    const query = fps[2] as Uint8Array;
    const got = index.topK(query, 10, even);
    const expected = bruteForce(entries, query).filter((h) => even(h.id)).sort(bySimilarity).slice(0, 10);
    expect(got.map((h) => h.similarity)).toEqual(expected.map((h) => h.similarity));
    expect(got.every((h) => even(h.id))).toBe(true);
    expect(got[0]).toEqual({ id: 'm2', similarity: 1 });
    expect(index.threshold(query, 0.5, even).every((h) => even(h.id))).toBe(true);
  });

  it('handles removal of unknown ids, k = 0, empty fingerprints and wrong lengths', () => {
    const index = new FingerprintIndex<number>(64);
    expect(index.remove(1)).toBe(false);
    const empty = new Uint8Array(8);
    const one = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0]);
    index.add(1, empty);
    index.add(2, one);
    expect(index.topK(one, 0)).toEqual([]);
    // An empty query is similar to nothing, not even another empty fingerprint (same rule as tanimoto()).
    expect(index.threshold(empty, 0.5)).toEqual([]);
    expect(index.topK(empty, 1)).toEqual([{ id: 1, similarity: 0 }]);
    expect(index.topK(one, 5)).toEqual([{ id: 2, similarity: 1 }, { id: 1, similarity: 0 }]);
    expect(() => index.add(3, new Uint8Array(4))).toThrow(RangeError);
    expect(() => index.topK(new Uint8Array(16), 1)).toThrow(RangeError);
    expect(() => new FingerprintIndex(100)).toThrow(RangeError);
  });

  it('equals a brute-force scan with many ties, across block re-layouts and removals', () => {
    // 128-bit fingerprints with 1–12 bits set: few distinct similarity values, so ties at t and at the k-th are common.
    const random = rng(2024);
    const make = () => {
      const fp = new Uint8Array(16);
      const n = 1 + Math.floor(random() * 12);
      for (let i = 0; i < n; i++) {
        const bit = Math.floor(random() * 128);
        fp[bit >> 3] = (fp[bit >> 3] as number) | (1 << (bit & 7));
      }
      return fp;
    };
    const index = new FingerprintIndex<number>(128, { blockEntries: { min: 1, max: 64 }, denseIds: true });
    const entries = new Map<number, Uint8Array>();
    for (let i = 0; i < 5000; i++) {
      const fp = make();
      index.add(i, fp);
      entries.set(i, fp);
      if (i % 5 === 0 && i > 0) {
        const gone = Math.floor(random() * i);
        expect(index.remove(gone)).toBe(entries.delete(gone));
      }
    }
    expect(index.size).toBe(entries.size);
    for (let q = 0; q < 40; q++) {
      const query = make();
      const all = [...entries].map(([id, fp]) => ({ id, similarity: tanimoto(query, fp) }));
      const values = [...new Set(all.map((h) => h.similarity))].sort((a, b) => b - a);
      for (const t of [values[0] as number, values[3] ?? 0, values[8] ?? 0, 0.5]) {
        const expected = all.filter((h) => h.similarity >= t).map((h) => h.id).sort((a, b) => a - b);
        expect(index.threshold(query, t).map((h) => h.id).sort((a, b) => a - b)).toEqual(expected);
      }
      for (const k of [1, 10, 137]) {
        const got = index.topK(query, k);
        const expected = [...all].sort(bySimilarity).slice(0, k);
        expect(got.map((h) => h.similarity)).toEqual(expected.map((h) => h.similarity));
        expect(new Set(got.map((h) => h.id)).size).toBe(got.length);
        for (const hit of got) expect(hit.similarity).toBe(tanimoto(query, entries.get(hit.id) as Uint8Array));
        // Everything strictly better than the k-th best is in; ties at the k-th may be any of them.
        const kth = (got.at(-1) as { similarity: number }).similarity;
        const ids = new Set(got.map((h) => h.id));
        for (const h of all) if (h.similarity > kth) expect(ids.has(h.id)).toBe(true);
      }
    }
  });
});

describe('FingerprintIndex sliced (async) search', () => {
  const fps = makeFingerprints(800, 2048, 99);
  const queries = makeFingerprints(6, 2048, 5);
  const ids = (hits: { id: number }[]) => hits.map((h) => h.id).sort((a, b) => a - b);

  it('pausing after every block gives the same answers as the synchronous search', async () => {
    const index = new FingerprintIndex<number>(2048, { blockEntries: { min: 4, max: 4 } });
    fps.forEach((fp, i) => index.add(i, fp));
    for (const q of queries) {
      expect(ids(await index.thresholdAsync(q, 0.3, { sliceMs: 0 }))).toEqual(ids(index.threshold(q, 0.3)));
      expect((await index.topKAsync(q, 7, { sliceMs: 0 })).map((h) => h.similarity)).toEqual(index.topK(q, 7).map((h) => h.similarity));
    }
  });

  it('starts over when the index changes during a pause, and answers for the changed index', async () => {
    const index = new FingerprintIndex<number>(2048, { blockEntries: { min: 4, max: 4 } });
    fps.forEach((fp, i) => index.add(i, fp));
    const query = queries[0] as Uint8Array;
    const pending = index.thresholdAsync(query, 0, { sliceMs: 0 }); // paused after its first block
    for (let i = 0; i < 300; i++) index.remove(i); // moves entries into the holes
    index.add(10_000, query);
    const got = await pending;
    expect(ids(got)).toEqual([...Array.from({ length: 500 }, (_, i) => 300 + i), 10_000]);
    expect(got[0]).toEqual({ id: 10_000, similarity: 1 });
  });
});

describe('minCommonBits', () => {
  it('is the least intersection whose Tanimoto reaches t, computed as tanimoto() would', () => {
    const ts = [-1, 0, 1e-9, 0.1, 1 / 3, 0.5, 0.7, 0.7000000000000001, 0.85, 0.99, 1, 1.5];
    for (let a = 0; a <= 90; a++) {
      for (let b = 0; b <= 90; b += 7) {
        for (const t of ts) {
          const similarity = (c: number) => (a + b - c === 0 ? 0 : c / (a + b - c));
          let expected = Math.min(a, b) + 1;
          for (let c = 0; c <= Math.min(a, b); c++) {
            if (similarity(c) >= t) {
              expected = c;
              break;
            }
          }
          expect(minCommonBits(a, b, t), `a=${a} b=${b} t=${t}`).toBe(expected);
        }
      }
    }
  });
});
