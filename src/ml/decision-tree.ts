/**
 * CART trees: regression (split on the largest reduction of squared error, i.e. variance reduction) and
 * classification (largest reduction of Gini impurity). The same builder serves single trees, random forests
 * (bootstrap rows + per-split feature sampling) and gradient boosting.
 *
 * Speed: features are stored column-major and each column is dense-ranked once per data set. At a node the
 * candidate feature's (rank, position) pairs are packed into one float and sorted with the native numeric
 * typed-array sort, which avoids comparator calls and per-node allocations.
 */
import type { Rng } from './rng.ts';
import { createRng } from './rng.ts';
import {
  checkBinaryLabels,
  checkSerialized,
  checkTrainingData,
  type BinaryClassifier,
  type Regressor,
  type SerializedModel,
} from './types.ts';

/**
 * How many features a split may look at: all of them, √p, log2 p, p/3 (Breiman's regression default), or a
 * fraction in (0, 1] of p. At least one feature is always examined.
 */
export type MaxFeatures = 'all' | 'sqrt' | 'log2' | 'third' | number;

export function resolveMaxFeatures(mf: MaxFeatures, p: number): number {
  let k: number;
  if (mf === 'all') k = p;
  else if (mf === 'sqrt') k = Math.floor(Math.sqrt(p));
  else if (mf === 'log2') k = Math.floor(Math.log2(p));
  else if (mf === 'third') k = Math.floor(p / 3);
  else {
    if (!(mf > 0 && mf <= 1)) throw new Error(`maxFeatures as a number must be a fraction in (0, 1], got ${mf}`);
    k = Math.floor(mf * p);
  }
  return Math.min(p, Math.max(1, k));
}

export interface TreeOptions {
  /** Maximum depth (root = depth 0). Default: unlimited. */
  maxDepth?: number;
  /** Minimum number of (bootstrap) samples in each leaf. Default 1. */
  minSamplesLeaf?: number;
  /** A node with fewer samples is not split. Default 2. */
  minSamplesSplit?: number;
  /** Features examined per split. Default 'all' for a single tree. */
  maxFeatures?: MaxFeatures;
}

export interface ResolvedTreeOptions {
  maxDepth: number;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  maxFeatures: MaxFeatures;
}

export function resolveTreeOptions(o: TreeOptions, defaultMaxFeatures: MaxFeatures = 'all'): ResolvedTreeOptions {
  const r = {
    maxDepth: o.maxDepth ?? Infinity,
    minSamplesLeaf: o.minSamplesLeaf ?? 1,
    minSamplesSplit: o.minSamplesSplit ?? 2,
    maxFeatures: o.maxFeatures ?? defaultMaxFeatures,
  };
  if (!(r.maxDepth >= 0)) throw new Error(`maxDepth must be ≥ 0, got ${r.maxDepth}`);
  if (!(Number.isInteger(r.minSamplesLeaf) && r.minSamplesLeaf >= 1)) throw new Error('minSamplesLeaf must be an integer ≥ 1');
  if (!(Number.isInteger(r.minSamplesSplit) && r.minSamplesSplit >= 2)) throw new Error('minSamplesSplit must be an integer ≥ 2');
  return r;
}

/** JSON cannot hold Infinity, so an unlimited depth is stored as null. */
export function treeOptionsToJSON(o: ResolvedTreeOptions): Record<string, unknown> {
  return { ...o, maxDepth: Number.isFinite(o.maxDepth) ? o.maxDepth : null };
}

export function treeOptionsFromJSON(h: Record<string, unknown>): ResolvedTreeOptions {
  return {
    maxDepth: h.maxDepth === null || h.maxDepth === undefined ? Infinity : (h.maxDepth as number),
    minSamplesLeaf: h.minSamplesLeaf as number,
    minSamplesSplit: h.minSamplesSplit as number,
    maxFeatures: h.maxFeatures as MaxFeatures,
  };
}

/** Column-major copy of a training matrix with each column dense-ranked (ties share a rank). */
export interface PreparedData {
  nRows: number;
  nFeatures: number;
  columns: Float64Array[];
  ranks: Int32Array[];
}

const POS_BITS = 2097152; // 2^21: positions inside a node are packed below this, ranks above it.

export function prepareData(X: readonly number[][]): PreparedData {
  const n = X.length;
  if (n >= POS_BITS) throw new Error(`trees support at most ${POS_BITS - 1} rows`);
  const p = n > 0 ? (X[0] as number[]).length : 0;
  const columns: Float64Array[] = [];
  const ranks: Int32Array[] = [];
  const order = new Array<number>(n);
  for (let j = 0; j < p; j++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = (X[i] as number[])[j] as number;
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => (col[a] as number) - (col[b] as number));
    const rank = new Int32Array(n);
    let r = 0;
    for (let t = 0; t < n; t++) {
      if (t > 0 && (col[order[t] as number] as number) !== (col[order[t - 1] as number] as number)) r++;
      rank[order[t] as number] = r;
    }
    columns.push(col);
    ranks.push(rank);
  }
  return { nRows: n, nFeatures: p, columns, ranks };
}

/** Training targets: real values (regression) or class indices 0..nClasses-1 (classification). */
export type TreeTarget = { kind: 'regression'; y: Float64Array } | { kind: 'classification'; y: Int32Array; nClasses: number };

export interface SerializedTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** Leaf values, `valueWidth` per node (1 for regression, nClasses probabilities for classification). */
  value: number[];
  valueWidth: number;
}

/** A fitted tree stored as flat arrays; internal nodes have feature ≥ 0, leaves feature = -1. */
export class TreeModel {
  constructor(
    readonly feature: Int32Array,
    readonly threshold: Float64Array,
    readonly left: Int32Array,
    readonly right: Int32Array,
    readonly value: Float64Array,
    readonly valueWidth: number,
  ) {}

  get nodeCount(): number {
    return this.feature.length;
  }

  /** Index of the leaf a row falls into. Non-finite feature values go right (impute before predicting). */
  leafOf(row: ArrayLike<number>): number {
    let node = 0;
    let f = this.feature[0] as number;
    while (f >= 0) {
      node = (row[f] as number) <= (this.threshold[node] as number) ? (this.left[node] as number) : (this.right[node] as number);
      f = this.feature[node] as number;
    }
    return node;
  }

  leafOfColumns(columns: Float64Array[], i: number): number {
    let node = 0;
    let f = this.feature[0] as number;
    while (f >= 0) {
      node = ((columns[f] as Float64Array)[i] as number) <= (this.threshold[node] as number) ? (this.left[node] as number) : (this.right[node] as number);
      f = this.feature[node] as number;
    }
    return node;
  }

  /** First leaf value (the regression output, or P(class 0) for classification). */
  predictRow(row: ArrayLike<number>): number {
    return this.value[this.leafOf(row) * this.valueWidth] as number;
  }

  /** Leaf value `k` for a row (class-k probability for classification trees). */
  predictRowComponent(row: ArrayLike<number>, k: number): number {
    return this.value[this.leafOf(row) * this.valueWidth + k] as number;
  }

  toJSON(): SerializedTree {
    return {
      feature: Array.from(this.feature),
      threshold: Array.from(this.threshold),
      left: Array.from(this.left),
      right: Array.from(this.right),
      value: Array.from(this.value),
      valueWidth: this.valueWidth,
    };
  }

  static fromJSON(s: SerializedTree): TreeModel {
    return new TreeModel(
      Int32Array.from(s.feature),
      Float64Array.from(s.threshold),
      Int32Array.from(s.left),
      Int32Array.from(s.right),
      Float64Array.from(s.value),
      s.valueWidth,
    );
  }
}

export interface GrownTree {
  tree: TreeModel;
  /** Total weighted impurity decrease per feature (not normalized). */
  importance: Float64Array;
}

/**
 * Grow one tree on the rows listed in `sample` (duplicates allowed: a bootstrap sample lists a row once per
 * draw). `rng` drives feature sampling; it is not used when every split examines all features.
 */
export function growTree(data: PreparedData, target: TreeTarget, sample: Int32Array, opts: ResolvedTreeOptions, rng: Rng): GrownTree {
  const n = sample.length;
  const p = data.nFeatures;
  if (n === 0) throw new Error('growTree: empty sample');
  const mtry = resolveMaxFeatures(opts.maxFeatures, p);
  const isClf = target.kind === 'classification';
  const nClasses = target.kind === 'classification' ? target.nClasses : 1;
  const yReg = target.kind === 'regression' ? target.y : new Float64Array(0);
  const yClf = target.kind === 'classification' ? target.y : new Int32Array(0);
  const valueWidth = isClf ? nClasses : 1;

  const idx = Int32Array.from(sample);
  const keys = new Float64Array(n);
  const featPool = new Int32Array(p);
  for (let j = 0; j < p; j++) featPool[j] = j;
  const countsNode = new Float64Array(nClasses);
  const countsL = new Float64Array(nClasses);
  const countsR = new Float64Array(nClasses);
  const importance = new Float64Array(p);

  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];

  // Explicit stack of pending nodes: [nodeId, start, end, depth].
  const stack: number[] = [];
  const newNode = (): number => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    for (let k = 0; k < valueWidth; k++) value.push(0);
    return feature.length - 1;
  };
  stack.push(newNode(), 0, n, 0);

  while (stack.length > 0) {
    const depth = stack.pop() as number;
    const end = stack.pop() as number;
    const start = stack.pop() as number;
    const nodeId = stack.pop() as number;
    const m = end - start;

    // Node summary: the leaf value and the impurity term the split proxy is compared against.
    let sum = 0;
    let sumSq = 0;
    let baseProxy: number;
    if (isClf) {
      countsNode.fill(0);
      for (let t = start; t < end; t++) countsNode[yClf[idx[t] as number] as number]! += 1;
      let sq = 0;
      for (let c = 0; c < nClasses; c++) {
        const cc = countsNode[c] as number;
        sq += cc * cc;
        value[nodeId * valueWidth + c] = cc / m;
      }
      baseProxy = sq / m;
      sumSq = m - baseProxy; // m × Gini
    } else {
      for (let t = start; t < end; t++) {
        const v = yReg[idx[t] as number] as number;
        sum += v;
        sumSq += v * v;
      }
      value[nodeId] = sum / m;
      baseProxy = (sum * sum) / m;
      sumSq = sumSq - baseProxy; // m × variance
    }
    const nodeImpurityMass = sumSq;

    if (depth >= opts.maxDepth || m < opts.minSamplesSplit || m < 2 * opts.minSamplesLeaf || nodeImpurityMass <= 1e-12 * Math.max(1, Math.abs(baseProxy))) {
      continue;
    }

    let bestProxy = -Infinity;
    let bestFeature = -1;
    let bestThreshold = 0;
    let examined = 0;
    // Draw features without replacement until `mtry` non-constant ones were examined (constant features at a
    // node carry no information, so they do not use up the budget; scikit-learn does the same).
    for (let drawn = 0; drawn < p && examined < mtry; drawn++) {
      const pick = mtry === p ? drawn : drawn + rng.nextInt(p - drawn);
      const f = featPool[pick] as number;
      featPool[pick] = featPool[drawn] as number;
      featPool[drawn] = f;

      const rank = data.ranks[f] as Int32Array;
      const col = data.columns[f] as Float64Array;
      for (let t = 0; t < m; t++) keys[t] = (rank[idx[start + t] as number] as number) * POS_BITS + t;
      const sorted = keys.subarray(0, m);
      sorted.sort();
      if (Math.floor((sorted[0] as number) / POS_BITS) === Math.floor((sorted[m - 1] as number) / POS_BITS)) continue;
      examined++;

      const minLeaf = opts.minSamplesLeaf;
      if (isClf) {
        countsL.fill(0);
        countsR.set(countsNode);
        let sqL = 0;
        let sqR = baseProxy * m;
        for (let t = 0; t < m - 1; t++) {
          const key = sorted[t] as number;
          const r = Math.floor(key / POS_BITS);
          const s = idx[start + (key - r * POS_BITS)] as number;
          const c = yClf[s] as number;
          const a = countsL[c] as number;
          sqL += 2 * a + 1;
          countsL[c] = a + 1;
          const b = countsR[c] as number;
          sqR += -2 * b + 1;
          countsR[c] = b - 1;
          const nL = t + 1;
          const nR = m - nL;
          if (nL < minLeaf || nR < minLeaf) continue;
          const rNext = Math.floor((sorted[t + 1] as number) / POS_BITS);
          if (rNext === r) continue;
          const proxy = sqL / nL + sqR / nR;
          if (proxy > bestProxy) {
            bestProxy = proxy;
            bestFeature = f;
            const sNext = idx[start + ((sorted[t + 1] as number) - rNext * POS_BITS)] as number;
            bestThreshold = midpoint(col[s] as number, col[sNext] as number);
          }
        }
      } else {
        let sL = 0;
        for (let t = 0; t < m - 1; t++) {
          const key = sorted[t] as number;
          const r = Math.floor(key / POS_BITS);
          const s = idx[start + (key - r * POS_BITS)] as number;
          sL += yReg[s] as number;
          const nL = t + 1;
          const nR = m - nL;
          if (nL < minLeaf || nR < minLeaf) continue;
          const rNext = Math.floor((sorted[t + 1] as number) / POS_BITS);
          if (rNext === r) continue;
          const sR = sum - sL;
          const proxy = (sL * sL) / nL + (sR * sR) / nR;
          if (proxy > bestProxy) {
            bestProxy = proxy;
            bestFeature = f;
            const sNext = idx[start + ((sorted[t + 1] as number) - rNext * POS_BITS)] as number;
            bestThreshold = midpoint(col[s] as number, col[sNext] as number);
          }
        }
      }
    }

    const decrease = bestProxy - baseProxy;
    if (bestFeature < 0 || !(decrease > 1e-12 * Math.max(1, nodeImpurityMass))) continue;

    // Partition idx[start, end) so rows going left come first.
    const col = data.columns[bestFeature] as Float64Array;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if ((col[idx[i] as number] as number) <= bestThreshold) i++;
      else {
        const tmp = idx[i] as number;
        idx[i] = idx[j] as number;
        idx[j] = tmp;
        j--;
      }
    }
    importance[bestFeature]! += decrease;
    feature[nodeId] = bestFeature;
    threshold[nodeId] = bestThreshold;
    const l = newNode();
    const r = newNode();
    left[nodeId] = l;
    right[nodeId] = r;
    stack.push(r, i, end, depth + 1);
    stack.push(l, start, i, depth + 1);
  }

  return {
    tree: new TreeModel(
      Int32Array.from(feature),
      Float64Array.from(threshold),
      Int32Array.from(left),
      Int32Array.from(right),
      Float64Array.from(value),
      valueWidth,
    ),
    importance,
  };
}

/** A threshold strictly below `hi` so that `x ≤ threshold` sends `lo` left and `hi` right. */
function midpoint(lo: number, hi: number): number {
  const mid = lo + (hi - lo) / 2;
  return mid >= hi ? lo : mid;
}

export function normalizeImportance(raw: Float64Array): number[] {
  let total = 0;
  for (const v of raw) total += v;
  return Array.from(raw, (v) => (total > 0 ? v / total : 0));
}

export function allRows(n: number): Int32Array {
  const s = new Int32Array(n);
  for (let i = 0; i < n; i++) s[i] = i;
  return s;
}

export interface DecisionTreeOptions extends TreeOptions {
  /** Seed for feature sampling when maxFeatures < all. Default 0. */
  seed?: number;
}

const REG_KIND = 'decision-tree-regressor';
const CLF_KIND = 'decision-tree-classifier';
const FORMAT = 1;

export class DecisionTreeRegressor implements Regressor {
  readonly options: ResolvedTreeOptions;
  readonly seed: number;
  tree: TreeModel | null = null;
  /** Impurity-decrease importance per feature, summing to 1 (all 0 for a single-leaf tree). */
  featureImportance: number[] = [];

  constructor(options: DecisionTreeOptions = {}) {
    this.options = resolveTreeOptions(options, 'all');
    this.seed = options.seed ?? 0;
  }

  fit(X: number[][], y: number[]): void {
    checkTrainingData(X, y, 'decision tree');
    const grown = growTree(prepareData(X), { kind: 'regression', y: Float64Array.from(y) }, allRows(X.length), this.options, createRng(this.seed));
    this.tree = grown.tree;
    this.featureImportance = normalizeImportance(grown.importance);
  }

  predict(X: number[][]): number[] {
    const tree = this.tree;
    if (!tree) throw new Error('decision tree: predict called before fit');
    return X.map((row) => tree.predictRow(row));
  }

  toJSON(): SerializedModel {
    if (!this.tree) throw new Error('decision tree: cannot serialize an unfitted model');
    return {
      kind: REG_KIND,
      formatVersion: FORMAT,
      hyperparameters: { ...treeOptionsToJSON(this.options), seed: this.seed },
      state: { tree: this.tree.toJSON(), featureImportance: this.featureImportance },
    };
  }

  static fromJSON(obj: SerializedModel): DecisionTreeRegressor {
    checkSerialized(obj, REG_KIND, FORMAT);
    const m = new DecisionTreeRegressor({ ...treeOptionsFromJSON(obj.hyperparameters), seed: obj.hyperparameters.seed as number });
    m.tree = TreeModel.fromJSON(obj.state.tree as SerializedTree);
    m.featureImportance = obj.state.featureImportance as number[];
    return m;
  }
}

export class DecisionTreeClassifier implements BinaryClassifier {
  readonly options: ResolvedTreeOptions;
  readonly seed: number;
  tree: TreeModel | null = null;
  featureImportance: number[] = [];

  constructor(options: DecisionTreeOptions = {}) {
    this.options = resolveTreeOptions(options, 'all');
    this.seed = options.seed ?? 0;
  }

  fit(X: number[][], y: number[]): void {
    checkTrainingData(X, y, 'decision tree classifier');
    checkBinaryLabels(y, 'decision tree classifier');
    const target: TreeTarget = { kind: 'classification', y: Int32Array.from(y), nClasses: 2 };
    const grown = growTree(prepareData(X), target, allRows(X.length), this.options, createRng(this.seed));
    this.tree = grown.tree;
    this.featureImportance = normalizeImportance(grown.importance);
  }

  predictProba(X: number[][]): number[] {
    const tree = this.tree;
    if (!tree) throw new Error('decision tree classifier: predict called before fit');
    return X.map((row) => tree.predictRowComponent(row, 1));
  }

  predict(X: number[][], threshold = 0.5): number[] {
    return this.predictProba(X).map((q) => (q >= threshold ? 1 : 0));
  }

  toJSON(): SerializedModel {
    if (!this.tree) throw new Error('decision tree classifier: cannot serialize an unfitted model');
    return {
      kind: CLF_KIND,
      formatVersion: FORMAT,
      hyperparameters: { ...treeOptionsToJSON(this.options), seed: this.seed },
      state: { tree: this.tree.toJSON(), featureImportance: this.featureImportance },
    };
  }

  static fromJSON(obj: SerializedModel): DecisionTreeClassifier {
    checkSerialized(obj, CLF_KIND, FORMAT);
    const m = new DecisionTreeClassifier({ ...treeOptionsFromJSON(obj.hyperparameters), seed: obj.hyperparameters.seed as number });
    m.tree = TreeModel.fromJSON(obj.state.tree as SerializedTree);
    m.featureImportance = obj.state.featureImportance as number[];
    return m;
  }
}
