import { describe, expect, it } from 'vitest';
import {
  fingerprintFromHex,
  fingerprintToHex,
  KnnTanimotoClassifier,
  KnnTanimotoRegressor,
  nearestNeighbourSimilarity,
  tanimoto,
} from './knn-tanimoto.ts';
import { createRng } from './rng.ts';

/** 2048-bit fingerprint with the given bits set. */
function fp(bits: number[]): Uint8Array {
  const out = new Uint8Array(256);
  for (const b of bits) out[b >> 3]! |= 1 << (b & 7);
  return out;
}

describe('tanimoto', () => {
  it('computes |A∧B| / |A∨B|', () => {
    expect(tanimoto(fp([1, 2, 3, 4]), fp([3, 4, 5]))).toBeCloseTo(2 / 5, 15);
    expect(tanimoto(fp([0, 2047]), fp([0, 2047]))).toBe(1);
    expect(tanimoto(fp([1]), fp([2]))).toBe(0);
    expect(tanimoto(fp([]), fp([]))).toBe(0);
    expect(() => tanimoto(new Uint8Array(4), new Uint8Array(8))).toThrow();
  });

  it('agrees with a bit-by-bit count on random fingerprints, including unaligned views', () => {
    const rng = createRng(1);
    const bytes = new Uint8Array(513);
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.nextInt(256);
    const a = bytes.subarray(1, 257);
    const b = bytes.subarray(257, 513);
    let inter = 0;
    let union = 0;
    for (let i = 0; i < 2048; i++) {
      const x = (a[i >> 3]! >> (i & 7)) & 1;
      const y = (b[i >> 3]! >> (i & 7)) & 1;
      inter += x & y;
      union += x | y;
    }
    expect(tanimoto(a, b)).toBe(inter / union);
  });

  it('gives the nearest-neighbour similarity as the applicability-domain score', () => {
    const train = [fp([1, 2, 3]), fp([10, 11]), fp([1, 2, 3, 4, 5, 6])];
    expect(nearestNeighbourSimilarity(fp([1, 2, 3, 4]), train)).toBeCloseTo(3 / 4, 15);
    expect(nearestNeighbourSimilarity(fp([100]), train)).toBe(0);
    expect(nearestNeighbourSimilarity(fp([1]), [])).toBe(0);
  });

  it('round-trips fingerprints through hex', () => {
    const a = fp([0, 9, 100, 2047]);
    expect(fingerprintFromHex(fingerprintToHex(a))).toEqual(a);
  });
});

describe('KnnTanimotoRegressor / Classifier', () => {
  const train = [fp([1, 2, 3, 4]), fp([1, 2, 3, 9]), fp([20, 21, 22]), fp([40, 41])];
  const y = [10, 20, 100, 1000];

  it('averages the k most similar targets weighted by similarity', () => {
    const m = new KnnTanimotoRegressor({ k: 2 });
    m.fit(train, y);
    // Query {1,2,3}: sims 3/4 and 3/4 to the first two, 0 to the others.
    expect(m.predict([fp([1, 2, 3])])).toEqual([15]);
    // Query {1,2,3,4,20}: sims 4/5 and 3/6 → (0.8·10 + 0.5·20) / 1.3.
    expect(m.predict([fp([1, 2, 3, 4, 20])])[0]).toBeCloseTo((0.8 * 10 + 0.5 * 20) / 1.3, 12);
    // No shared bits with anything: plain mean of the k (index-ordered) neighbours.
    expect(m.predict([fp([500])])).toEqual([15]);
    expect(m.applicabilityDomain([fp([1, 2, 3])])).toEqual([0.75]);
    const back = KnnTanimotoRegressor.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(back.predict([fp([1, 2, 3, 4, 20])])).toEqual(m.predict([fp([1, 2, 3, 4, 20])]));
  });

  it('gives the similarity-weighted active fraction as a probability', () => {
    const c = new KnnTanimotoClassifier({ k: 3 });
    c.fit(train, [1, 0, 1, 0]);
    // Query {1,2,3,4,20,21}: sims 4/6, 3/7, 2/7 to rows 0,1,2.
    const p = c.predictProba([fp([1, 2, 3, 4, 20, 21])])[0]!;
    expect(p).toBeCloseTo((4 / 6 + 2 / 7) / (4 / 6 + 3 / 7 + 2 / 7), 12);
    expect(c.predict([fp([1, 2, 3, 4, 20, 21])])).toEqual([1]);
  });
});
