/**
 * Train/test splits and cross-validation. Grouped splits keep every member of a group (one molecule's
 * replicates, one CPA's mixtures, one scaffold or Butina cluster) on the same side, because a model that has
 * seen a near-copy of a test row reports optimistic errors (science.md §8.2).
 */
import { packedTanimoto, packFingerprint } from './knn-tanimoto.ts';
import { createRng } from './rng.ts';
import { hasStd, type BinaryClassifier, type Regressor } from './types.ts';

export interface Fold {
  train: number[];
  test: number[];
}

export type GroupKey = string | number;

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Plain k-fold over n rows after a seeded shuffle; fold sizes differ by at most one. */
export function kFold(n: number, k: number, seed: number): Fold[] {
  if (!(Number.isInteger(k) && k >= 2)) throw new Error('kFold: k must be an integer ≥ 2');
  if (n < k) throw new Error(`kFold: cannot make ${k} folds from ${n} rows`);
  const order = createRng(seed).permutation(n);
  const foldOf = new Array<number>(n);
  order.forEach((row, pos) => (foldOf[row] = pos % k));
  return foldsFromAssignment(foldOf, k);
}

/** Folds from a per-row fold index (rows with index < 0 are never tested but always trained on). */
export function foldsFromAssignment(foldOf: readonly number[], k: number): Fold[] {
  const folds: Fold[] = Array.from({ length: k }, () => ({ train: [], test: [] }));
  for (let i = 0; i < foldOf.length; i++) {
    for (let f = 0; f < k; f++) (foldOf[i] === f ? (folds[f] as Fold).test : (folds[f] as Fold).train).push(i);
  }
  return folds;
}

function groupMembers(groups: readonly GroupKey[]): Map<GroupKey, number[]> {
  const members = new Map<GroupKey, number[]>();
  groups.forEach((g, i) => {
    let list = members.get(g);
    if (!list) members.set(g, (list = []));
    list.push(i);
  });
  return members;
}

/**
 * Grouped k-fold: whole groups are assigned to folds. Groups are shuffled with the seed, then placed largest
 * first into the currently smallest fold, which balances fold sizes while keeping the split seed-dependent.
 */
export function groupKFold(groups: readonly GroupKey[], k: number, seed: number): Fold[] {
  if (!(Number.isInteger(k) && k >= 2)) throw new Error('groupKFold: k must be an integer ≥ 2');
  const members = groupMembers(groups);
  if (members.size < k) throw new Error(`groupKFold: ${members.size} groups cannot fill ${k} folds`);
  const keys = createRng(seed).shuffle([...members.keys()]);
  // Array.prototype.sort is stable, so equal-sized groups keep their shuffled order.
  keys.sort((a, b) => (members.get(b) as number[]).length - (members.get(a) as number[]).length);
  const sizes = new Array<number>(k).fill(0);
  const foldOf = new Array<number>(groups.length);
  for (const key of keys) {
    let target = 0;
    for (let f = 1; f < k; f++) if ((sizes[f] as number) < (sizes[target] as number)) target = f;
    const rows = members.get(key) as number[];
    for (const r of rows) foldOf[r] = target;
    sizes[target] = (sizes[target] as number) + rows.length;
  }
  return foldsFromAssignment(foldOf, k);
}

/** One fold per group (e.g. leave-one-CPA-out), in order of first appearance. */
export function leaveOneGroupOut(groups: readonly GroupKey[]): Fold[] {
  const members = groupMembers(groups);
  if (members.size < 2) throw new Error('leaveOneGroupOut: need at least two groups');
  const all = range(groups.length);
  return [...members.values()].map((test) => {
    const inTest = new Set(test);
    return { train: all.filter((i) => !inTest.has(i)), test: test.slice() };
  });
}

/** k-fold over precomputed cluster labels (scaffold ids or `butinaClusters` output): a grouped k-fold. */
export function clusterKFold(clusterLabels: readonly GroupKey[], k: number, seed: number): Fold[] {
  return groupKFold(clusterLabels, k, seed);
}

/**
 * Single scaffold-style split: the largest groups fill the training set until it holds at least
 * (1 − testFraction) of the rows; the remaining, rarer groups form the test set. This deliberately tests on
 * chemotypes that are under-represented in training (the Bemis–Murcko scaffold split used by MoleculeNet).
 */
export function scaffoldSplit(groups: readonly GroupKey[], testFraction: number): Fold {
  if (!(testFraction > 0 && testFraction < 1)) throw new Error('scaffoldSplit: testFraction must be in (0, 1)');
  const members = [...groupMembers(groups).values()];
  // Largest first; equal sizes in order of first appearance (stable sort) so the split is deterministic.
  members.sort((a, b) => b.length - a.length);
  const trainTarget = (1 - testFraction) * groups.length;
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of members) (train.length < trainTarget ? train : test).push(...rows);
  if (test.length === 0) throw new Error('scaffoldSplit: every group landed in training; lower the number of rows per group or raise testFraction');
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** Random grouped train/test split holding out about `testFraction` of the rows. */
export function groupShuffleSplit(groups: readonly GroupKey[], testFraction: number, seed: number): Fold {
  if (!(testFraction > 0 && testFraction < 1)) throw new Error('groupShuffleSplit: testFraction must be in (0, 1)');
  const members = groupMembers(groups);
  const keys = createRng(seed).shuffle([...members.keys()]);
  const testTarget = testFraction * groups.length;
  const test: number[] = [];
  const train: number[] = [];
  for (const key of keys) (test.length < testTarget ? test : train).push(...(members.get(key) as number[]));
  if (train.length === 0) throw new Error('groupShuffleSplit: no rows left for training');
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** Throws if any group has rows on both sides of any fold, or if a fold's train and test overlap. */
export function assertGroupsDisjoint(folds: readonly Fold[], groups: readonly GroupKey[]): void {
  folds.forEach((fold, f) => {
    const trainGroups = new Set(fold.train.map((i) => groups[i]));
    const trainRows = new Set(fold.train);
    for (const i of fold.test) {
      if (trainRows.has(i)) throw new Error(`fold ${f}: row ${i} is in both train and test`);
      if (trainGroups.has(groups[i] as GroupKey)) throw new Error(`fold ${f}: group ${String(groups[i])} is on both sides of the split`);
    }
  });
}

/**
 * Taylor–Butina clustering (Butina 1999, J. Chem. Inf. Comput. Sci. 39:747) on Tanimoto distance 1 − sim.
 * Rows within `threshold` distance are neighbours; the row with the most neighbours (counted once,
 * up front, as in RDKit's default) becomes a centroid and takes all its unassigned neighbours. Returns a
 * cluster label per row; label 0 is the first (largest-neighbourhood) cluster. O(n²) comparisons.
 */
export function butinaClusters(fps: readonly Uint8Array[], threshold: number): number[] {
  if (!(threshold >= 0 && threshold <= 1)) throw new Error('butinaClusters: threshold is a Tanimoto distance in [0, 1]');
  const n = fps.length;
  const packed = fps.map(packFingerprint);
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (1 - packedTanimoto(packed[i]!, packed[j]!) <= threshold) {
        (neighbours[i] as number[]).push(j);
        (neighbours[j] as number[]).push(i);
      }
    }
  }
  const order = range(n).sort((a, b) => (neighbours[b] as number[]).length - (neighbours[a] as number[]).length || a - b);
  const label = new Array<number>(n).fill(-1);
  let next = 0;
  for (const c of order) {
    if (label[c] !== -1) continue;
    label[c] = next;
    for (const j of neighbours[c] as number[]) if (label[j] === -1) label[j] = next;
    next++;
  }
  return label;
}

export interface CrossValResult {
  /** Out-of-fold prediction per row (NaN for rows no fold tests). */
  predictions: number[];
  /** Out-of-fold difficulty estimate per row when the model provides one (GP sd, forest spread). */
  std: number[] | null;
  /** Index of the fold that tested each row (-1 if none). */
  foldOf: number[];
}

function checkFolds(folds: readonly Fold[], n: number): number[] {
  const foldOf = new Array<number>(n).fill(-1);
  folds.forEach((fold, f) => {
    for (const i of fold.test) {
      if (i < 0 || i >= n) throw new Error(`fold ${f}: row ${i} out of range`);
      if (foldOf[i] !== -1) throw new Error(`row ${i} is tested by folds ${foldOf[i]} and ${f}; cross-validation folds must not overlap`);
      foldOf[i] = f;
    }
  });
  return foldOf;
}

/** Fits a fresh model per fold and returns out-of-fold predictions. */
export function crossValPredict<Row>(factory: () => Regressor<Row>, X: readonly Row[], y: readonly number[], folds: readonly Fold[]): CrossValResult {
  const foldOf = checkFolds(folds, X.length);
  const predictions = new Array<number>(X.length).fill(NaN);
  let std: number[] | null = new Array<number>(X.length).fill(NaN);
  for (const fold of folds) {
    const model = factory();
    model.fit(fold.train.map((i) => X[i] as Row), fold.train.map((i) => y[i] as number));
    const Xt = fold.test.map((i) => X[i] as Row);
    if (hasStd(model) && std) {
      const out = model.predictWithStd(Xt);
      fold.test.forEach((i, t) => {
        predictions[i] = out.mean[t] as number;
        (std as number[])[i] = out.std[t] as number;
      });
    } else {
      std = null;
      const p = model.predict(Xt);
      fold.test.forEach((i, t) => (predictions[i] = p[t] as number));
    }
  }
  return { predictions, std, foldOf };
}

/** Classification counterpart: out-of-fold P(active). */
export function crossValPredictProba<Row>(
  factory: () => BinaryClassifier<Row>,
  X: readonly Row[],
  y: readonly number[],
  folds: readonly Fold[],
): CrossValResult {
  const foldOf = checkFolds(folds, X.length);
  const predictions = new Array<number>(X.length).fill(NaN);
  for (const fold of folds) {
    const model = factory();
    model.fit(fold.train.map((i) => X[i] as Row), fold.train.map((i) => y[i] as number));
    const p = model.predictProba(fold.test.map((i) => X[i] as Row));
    fold.test.forEach((i, t) => (predictions[i] = p[t] as number));
  }
  return { predictions, std: null, foldOf };
}
