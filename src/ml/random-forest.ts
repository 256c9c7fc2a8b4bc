/**
 * Breiman random forests: every tree is grown on a bootstrap sample and every split looks at a fresh random
 * subset of `maxFeatures` features (not one subset per tree, which would be a random-subspace ensemble).
 */
import {
  allRows,
  growTree,
  normalizeImportance,
  prepareData,
  resolveTreeOptions,
  treeOptionsFromJSON,
  treeOptionsToJSON,
  TreeModel,
  type MaxFeatures,
  type PreparedData,
  type ResolvedTreeOptions,
  type SerializedTree,
  type TreeOptions,
  type TreeTarget,
} from './decision-tree.ts';
import { createRng } from './rng.ts';
import {
  checkBinaryLabels,
  checkSerialized,
  checkTrainingData,
  type BinaryClassifier,
  type SerializedModel,
  type UncertaintyRegressor,
} from './types.ts';

export interface RandomForestOptions extends TreeOptions {
  /** Number of trees. Default 200. */
  nEstimators?: number;
  /** Grow each tree on a bootstrap sample (n draws with replacement). Default true. */
  bootstrap?: boolean;
  /** Seed for bootstrap and feature sampling. Default 0. */
  seed?: number;
}

interface ForestSettings {
  tree: ResolvedTreeOptions;
  nEstimators: number;
  bootstrap: boolean;
  seed: number;
}

function resolveForest(o: RandomForestOptions, defaultMaxFeatures: MaxFeatures): ForestSettings {
  const nEstimators = o.nEstimators ?? 200;
  if (!(Number.isInteger(nEstimators) && nEstimators >= 1)) throw new Error('nEstimators must be an integer ≥ 1');
  return { tree: resolveTreeOptions(o, defaultMaxFeatures), nEstimators, bootstrap: o.bootstrap ?? true, seed: o.seed ?? 0 };
}

function growForest(data: PreparedData, target: TreeTarget, s: ForestSettings): { trees: TreeModel[]; importance: number[] } {
  const rng = createRng(s.seed);
  const n = data.nRows;
  const trees: TreeModel[] = [];
  const imp = new Float64Array(data.nFeatures);
  for (let t = 0; t < s.nEstimators; t++) {
    const treeRng = rng.fork();
    let sample: Int32Array;
    if (s.bootstrap) {
      sample = new Int32Array(n);
      for (let i = 0; i < n; i++) sample[i] = treeRng.nextInt(n);
    } else sample = allRows(n);
    const grown = growTree(data, target, sample, s.tree, treeRng);
    trees.push(grown.tree);
    // Each tree's importances are normalized before averaging, as in scikit-learn.
    const norm = normalizeImportance(grown.importance);
    for (let j = 0; j < imp.length; j++) imp[j]! += (norm[j] as number) / s.nEstimators;
  }
  return { trees, importance: Array.from(imp) };
}

function settingsToJSON(s: ForestSettings): Record<string, unknown> {
  return { ...treeOptionsToJSON(s.tree), nEstimators: s.nEstimators, bootstrap: s.bootstrap, seed: s.seed };
}

function settingsFromJSON(h: Record<string, unknown>): RandomForestOptions {
  return { ...treeOptionsFromJSON(h), nEstimators: h.nEstimators as number, bootstrap: h.bootstrap as boolean, seed: h.seed as number };
}

const REG_KIND = 'random-forest-regressor';
const CLF_KIND = 'random-forest-classifier';
const FORMAT = 1;

export class RandomForestRegressor implements UncertaintyRegressor {
  readonly settings: ForestSettings;
  trees: TreeModel[] = [];
  /** Mean impurity-decrease importance per feature (sums to 1 unless every tree is a single leaf). */
  featureImportance: number[] = [];

  /** Defaults: 200 trees, maxFeatures 'third' (p/3, Breiman's regression choice), minSamplesLeaf 1, unlimited depth. */
  constructor(options: RandomForestOptions = {}) {
    this.settings = resolveForest(options, 'third');
  }

  fit(X: number[][], y: number[]): void {
    checkTrainingData(X, y, 'random forest');
    const { trees, importance } = growForest(prepareData(X), { kind: 'regression', y: Float64Array.from(y) }, this.settings);
    this.trees = trees;
    this.featureImportance = importance;
  }

  predict(X: number[][]): number[] {
    return this.predictWithStd(X).mean;
  }

  /** Mean over trees and the spread (population sd) of the individual tree predictions. */
  predictWithStd(X: number[][]): { mean: number[]; std: number[] } {
    if (this.trees.length === 0) throw new Error('random forest: predict called before fit');
    const mean: number[] = [];
    const std: number[] = [];
    const T = this.trees.length;
    for (const row of X) {
      let s = 0;
      let s2 = 0;
      for (const tree of this.trees) {
        const v = tree.predictRow(row);
        s += v;
        s2 += v * v;
      }
      const m = s / T;
      mean.push(m);
      std.push(Math.sqrt(Math.max(0, s2 / T - m * m)));
    }
    return { mean, std };
  }

  toJSON(): SerializedModel {
    if (this.trees.length === 0) throw new Error('random forest: cannot serialize an unfitted model');
    return {
      kind: REG_KIND,
      formatVersion: FORMAT,
      hyperparameters: settingsToJSON(this.settings),
      state: { trees: this.trees.map((t) => t.toJSON()), featureImportance: this.featureImportance },
    };
  }

  static fromJSON(obj: SerializedModel): RandomForestRegressor {
    checkSerialized(obj, REG_KIND, FORMAT);
    const m = new RandomForestRegressor(settingsFromJSON(obj.hyperparameters));
    m.trees = (obj.state.trees as SerializedTree[]).map((t) => TreeModel.fromJSON(t));
    m.featureImportance = obj.state.featureImportance as number[];
    return m;
  }
}

export class RandomForestClassifier implements BinaryClassifier {
  readonly settings: ForestSettings;
  trees: TreeModel[] = [];
  featureImportance: number[] = [];

  /** Defaults: 200 trees, maxFeatures 'sqrt', minSamplesLeaf 1, unlimited depth, Gini splits. */
  constructor(options: RandomForestOptions = {}) {
    this.settings = resolveForest(options, 'sqrt');
  }

  fit(X: number[][], y: number[]): void {
    checkTrainingData(X, y, 'random forest classifier');
    checkBinaryLabels(y, 'random forest classifier');
    const target: TreeTarget = { kind: 'classification', y: Int32Array.from(y), nClasses: 2 };
    const { trees, importance } = growForest(prepareData(X), target, this.settings);
    this.trees = trees;
    this.featureImportance = importance;
  }

  /** Mean over trees of the leaf fraction of actives (soft voting). */
  predictProba(X: number[][]): number[] {
    if (this.trees.length === 0) throw new Error('random forest classifier: predict called before fit');
    return X.map((row) => {
      let s = 0;
      for (const tree of this.trees) s += tree.predictRowComponent(row, 1);
      return s / this.trees.length;
    });
  }

  predict(X: number[][], threshold = 0.5): number[] {
    return this.predictProba(X).map((q) => (q >= threshold ? 1 : 0));
  }

  toJSON(): SerializedModel {
    if (this.trees.length === 0) throw new Error('random forest classifier: cannot serialize an unfitted model');
    return {
      kind: CLF_KIND,
      formatVersion: FORMAT,
      hyperparameters: settingsToJSON(this.settings),
      state: { trees: this.trees.map((t) => t.toJSON()), featureImportance: this.featureImportance },
    };
  }

  static fromJSON(obj: SerializedModel): RandomForestClassifier {
    checkSerialized(obj, CLF_KIND, FORMAT);
    const m = new RandomForestClassifier(settingsFromJSON(obj.hyperparameters));
    m.trees = (obj.state.trees as SerializedTree[]).map((t) => TreeModel.fromJSON(t));
    m.featureImportance = obj.state.featureImportance as number[];
    return m;
  }
}
