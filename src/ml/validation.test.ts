import { describe, expect, it } from 'vitest';
import { MeanRegressor } from './baselines.ts';
import { tanimoto } from './knn-tanimoto.ts';
import { createRng } from './rng.ts';
import {
  assertGroupsDisjoint,
  butinaClusters,
  clusterKFold,
  crossValPredict,
  groupKFold,
  groupShuffleSplit,
  kFold,
  leaveOneGroupOut,
  scaffoldSplit,
  type Fold,
} from './validation.ts';

function expectPartition(folds: Fold[], n: number): void {
  const tested = folds.flatMap((f) => f.test).sort((a, b) => a - b);
  expect(tested).toEqual(Array.from({ length: n }, (_, i) => i));
  for (const f of folds) {
    expect(f.train.length + f.test.length).toBe(n);
    const t = new Set(f.test);
    expect(f.train.some((i) => t.has(i))).toBe(false);
  }
}

function fp(bits: number[]): Uint8Array {
  const out = new Uint8Array(256);
  for (const b of bits) out[b >> 3]! |= 1 << (b & 7);
  return out;
}

describe('k-fold splits', () => {
  it('partitions rows into balanced folds, reproducibly', () => {
    const folds = kFold(10, 3, 1);
    expectPartition(folds, 10);
    expect(folds.map((f) => f.test.length).sort()).toEqual([3, 3, 4]);
    expect(kFold(10, 3, 1)).toEqual(folds);
    expect(kFold(10, 3, 2)).not.toEqual(folds);
  });

  it('grouped k-fold never puts a group on both sides (many seeds, uneven groups)', () => {
    const rng = createRng(3);
    const groups = Array.from({ length: 300 }, () => `mol-${Math.floor(rng.next() ** 2 * 60)}`);
    for (let seed = 0; seed < 25; seed++) {
      const folds = groupKFold(groups, 5, seed);
      expectPartition(folds, groups.length);
      expect(() => assertGroupsDisjoint(folds, groups)).not.toThrow();
    }
    expect(() => groupKFold(['a', 'a', 'b'], 3, 0)).toThrow(/groups/);
  });

  it('assertGroupsDisjoint catches a leaky split', () => {
    const groups = ['a', 'a', 'b', 'b'];
    expect(() => assertGroupsDisjoint([{ train: [0, 2], test: [1, 3] }], groups)).toThrow(/both sides/);
    // A plain k-fold over replicate rows leaks for some seed.
    const reps = Array.from({ length: 40 }, (_, i) => Math.floor(i / 2));
    expect(() => assertGroupsDisjoint(kFold(40, 5, 0), reps)).toThrow();
  });

  it('leave-one-group-out makes one fold per group', () => {
    const folds = leaveOneGroupOut(['a', 'b', 'a', 'c']);
    expect(folds.map((f) => f.test)).toEqual([[0, 2], [1], [3]]);
    expect(folds[0]!.train).toEqual([1, 3]);
    assertGroupsDisjoint(folds, ['a', 'b', 'a', 'c']);
  });

  it('scaffold split sends the rarest groups to test', () => {
    const labels = ['A', 'A', 'B', 'A', 'C', 'B', 'A', 'D', 'B', 'A'];
    const s = scaffoldSplit(labels, 0.2);
    expect(s.test).toEqual([4, 7]);
    assertGroupsDisjoint([s], labels);
  });

  it('group shuffle split and cluster k-fold keep groups whole', () => {
    const labels = Array.from({ length: 100 }, (_, i) => i % 17);
    const s = groupShuffleSplit(labels, 0.25, 4);
    assertGroupsDisjoint([s], labels);
    expect(s.test.length).toBeGreaterThanOrEqual(25);
    assertGroupsDisjoint(clusterKFold(labels, 4, 1), labels);
  });
});

describe('butinaClusters', () => {
  it('groups near neighbours around the most connected centroid', () => {
    const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);
    const fps = [fp(range(0, 10)), fp(range(0, 9)), fp(range(0, 8)), fp(range(100, 106)), fp(range(0, 10).concat([50]))];
    // Neighbour counts at distance ≤ 0.25: rows 0 and 1 have three each (0 wins the tie by index), so row 0
    // becomes the first centroid and takes 1, 2 and 4; row 2 is not a neighbour of 4 (distance 3/11) but
    // still joins through the centroid. Row 3 shares nothing.
    const labels = butinaClusters(fps, 0.25);
    expect(labels[0]).toBe(labels[1]);
    expect(labels[0]).toBe(labels[4]);
    expect(labels[3]).not.toBe(labels[0]);
    expect(labels).toEqual([0, 0, 0, 1, 0]);
    expect(butinaClusters(fps, 0).filter((l) => l === labels[0]).length).toBe(1);
  });

  it('every cluster member is within the threshold of one member (its centroid)', () => {
    const rng = createRng(6);
    const protos = Array.from({ length: 5 }, () => Array.from({ length: 40 }, () => rng.nextInt(2048)));
    const fps = Array.from({ length: 60 }, () => {
      const bits = (protos[rng.nextInt(5)] as number[]).filter(() => rng.next() < 0.85);
      for (let i = 0; i < 5; i++) bits.push(rng.nextInt(2048));
      return fp(bits);
    });
    const threshold = 0.5;
    const labels = butinaClusters(fps, threshold);
    for (const c of new Set(labels)) {
      const members = labels.map((l, i) => (l === c ? i : -1)).filter((i) => i >= 0);
      const hasCentroid = members.some((m) => members.every((o) => 1 - tanimoto(fps[m]!, fps[o]!) <= threshold));
      expect(hasCentroid).toBe(true);
    }
    expect(new Set(labels).size).toBeLessThan(20);
  });
});

describe('crossValPredict', () => {
  it('returns out-of-fold predictions from models that never saw the row', () => {
    const y = [1, 2, 3, 4, 5, 6];
    const X = y.map(() => [0]);
    const folds: Fold[] = [
      { train: [2, 3, 4, 5], test: [0, 1] },
      { train: [0, 1, 4, 5], test: [2, 3] },
      { train: [0, 1, 2, 3], test: [4, 5] },
    ];
    const res = crossValPredict(() => new MeanRegressor(), X, y, folds);
    expect(res.predictions).toEqual([4.5, 4.5, 3.5, 3.5, 2.5, 2.5]);
    expect(res.foldOf).toEqual([0, 0, 1, 1, 2, 2]);
    expect(res.std).toBeNull();
    expect(() => crossValPredict(() => new MeanRegressor(), X, y, [folds[0]!, folds[0]!])).toThrow(/overlap/);
  });
});
