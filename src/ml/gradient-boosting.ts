/**
 * Gradient-boosted regression trees (Friedman 2001, "Greedy function approximation", Ann. Stat. 29:1189).
 * Squared loss for regression; binomial log-loss for active/inactive classification, where each leaf takes a
 * single Newton step Σ(y − p) / Σ p(1 − p) as in Friedman's TreeBoost. Stochastic boosting (Friedman 2002)
 * fits each tree on a `subsample` fraction of rows drawn without replacement.
 */
import {
  growTree,
  prepareData,
  resolveTreeOptions,
  treeOptionsFromJSON,
  treeOptionsToJSON,
  TreeModel,
  type PreparedData,
  type ResolvedTreeOptions,
  type SerializedTree,
  type TreeOptions,
} from './decision-tree.ts';
import { createRng, type Rng } from './rng.ts';
import { mean } from './standardize.ts';
import {
  checkBinaryLabels,
  checkSerialized,
  checkTrainingData,
  type BinaryClassifier,
  type Regressor,
  type SerializedModel,
} from './types.ts';

export interface GradientBoostingOptions extends TreeOptions {
  /** Boosting rounds. Default 300. */
  nEstimators?: number;
  /** Shrinkage applied to each tree. Default 0.05. */
  learningRate?: number;
  /** Fraction of rows (without replacement) each tree sees; 1 = deterministic boosting. Default 0.8. */
  subsample?: number;
  /** Seed for subsampling and feature sampling. Default 0. */
  seed?: number;
}

interface BoostSettings {
  tree: ResolvedTreeOptions;
  nEstimators: number;
  learningRate: number;
  subsample: number;
  seed: number;
}

function resolveBoost(o: GradientBoostingOptions): BoostSettings {
  // Shallow trees are the usual boosting base learner; depth 3 unless the caller says otherwise.
  const tree = resolveTreeOptions({ maxDepth: 3, ...o }, 'all');
  const s = { tree, nEstimators: o.nEstimators ?? 300, learningRate: o.learningRate ?? 0.05, subsample: o.subsample ?? 0.8, seed: o.seed ?? 0 };
  if (!(Number.isInteger(s.nEstimators) && s.nEstimators >= 1)) throw new Error('nEstimators must be an integer ≥ 1');
  if (!(s.learningRate > 0)) throw new Error('learningRate must be > 0');
  if (!(s.subsample > 0 && s.subsample <= 1)) throw new Error('subsample must be in (0, 1]');
  return s;
}

function settingsToJSON(s: BoostSettings): Record<string, unknown> {
  return { ...treeOptionsToJSON(s.tree), nEstimators: s.nEstimators, learningRate: s.learningRate, subsample: s.subsample, seed: s.seed };
}

function settingsFromJSON(h: Record<string, unknown>): GradientBoostingOptions {
  return {
    ...treeOptionsFromJSON(h),
    nEstimators: h.nEstimators as number,
    learningRate: h.learningRate as number,
    subsample: h.subsample as number,
    seed: h.seed as number,
  };
}

function drawSubsample(n: number, fraction: number, rng: Rng): Int32Array {
  if (fraction >= 1) return Int32Array.from({ length: n }, (_, i) => i);
  const k = Math.max(1, Math.round(fraction * n));
  return Int32Array.from(rng.sampleWithoutReplacement(n, k));
}

/**
 * One boosting loop. `gradient` writes the negative gradient for each row given the current scores; `leafValue`
 * (optional) replaces a leaf's fitted mean by a loss-specific step computed from the rows that reached it.
 */
function boost(
  data: PreparedData,
  init: number,
  s: BoostSettings,
  gradient: (scores: Float64Array, out: Float64Array) => void,
  leafValue?: (rows: number[], scores: Float64Array) => number,
): TreeModel[] {
  const n = data.nRows;
  const rng = createRng(s.seed);
  const scores = new Float64Array(n).fill(init);
  const residual = new Float64Array(n);
  const trees: TreeModel[] = [];
  for (let t = 0; t < s.nEstimators; t++) {
    gradient(scores, residual);
    const sample = drawSubsample(n, s.subsample, rng);
    const { tree } = growTree(data, { kind: 'regression', y: residual }, sample, s.tree, rng);
    if (leafValue) {
      const members = new Map<number, number[]>();
      for (const i of sample) {
        const leaf = tree.leafOfColumns(data.columns, i);
        let list = members.get(leaf);
        if (!list) members.set(leaf, (list = []));
        list.push(i);
      }
      for (const [leaf, rows] of members) tree.value[leaf] = leafValue(rows, scores);
    }
    for (let i = 0; i < n; i++) scores[i]! += s.learningRate * (tree.value[tree.leafOfColumns(data.columns, i)] as number);
    trees.push(tree);
  }
  return trees;
}

function sumTrees(trees: readonly TreeModel[], init: number, lr: number, row: number[]): number {
  let f = init;
  for (const tree of trees) f += lr * tree.predictRow(row);
  return f;
}

const REG_KIND = 'gradient-boosting-regressor';
const CLF_KIND = 'gradient-boosting-classifier';
const FORMAT = 1;

export class GradientBoostingRegressor implements Regressor {
  readonly settings: BoostSettings;
  trees: TreeModel[] = [];
  init = 0;

  /** Defaults: 300 rounds, learning rate 0.05, depth 3, subsample 0.8, squared loss. */
  constructor(options: GradientBoostingOptions = {}) {
    this.settings = resolveBoost(options);
  }

  fit(X: number[][], y: number[]): void {
    checkTrainingData(X, y, 'gradient boosting');
    const target = Float64Array.from(y);
    this.init = mean(y);
    this.trees = boost(prepareData(X), this.init, this.settings, (scores, out) => {
      for (let i = 0; i < out.length; i++) out[i] = (target[i] as number) - (scores[i] as number);
    });
  }

  predict(X: number[][]): number[] {
    if (this.trees.length === 0) throw new Error('gradient boosting: predict called before fit');
    return X.map((row) => sumTrees(this.trees, this.init, this.settings.learningRate, row));
  }

  toJSON(): SerializedModel {
    if (this.trees.length === 0) throw new Error('gradient boosting: cannot serialize an unfitted model');
    return {
      kind: REG_KIND,
      formatVersion: FORMAT,
      hyperparameters: settingsToJSON(this.settings),
      state: { init: this.init, trees: this.trees.map((t) => t.toJSON()) },
    };
  }

  static fromJSON(obj: SerializedModel): GradientBoostingRegressor {
    checkSerialized(obj, REG_KIND, FORMAT);
    const m = new GradientBoostingRegressor(settingsFromJSON(obj.hyperparameters));
    m.init = obj.state.init as number;
    m.trees = (obj.state.trees as SerializedTree[]).map((t) => TreeModel.fromJSON(t));
    return m;
  }
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export class GradientBoostingClassifier implements BinaryClassifier {
  readonly settings: BoostSettings;
  trees: TreeModel[] = [];
  /** Initial log-odds (of the training prevalence). */
  init = 0;

  /** Defaults as for the regressor; log-loss with Newton leaf steps. */
  constructor(options: GradientBoostingOptions = {}) {
    this.settings = resolveBoost(options);
  }

  fit(X: number[][], y: number[]): void {
    checkTrainingData(X, y, 'gradient boosting classifier');
    checkBinaryLabels(y, 'gradient boosting classifier');
    const target = Float64Array.from(y);
    // Clip the prevalence so a single-class training set still gives finite log-odds.
    const prev = Math.min(1 - 1e-6, Math.max(1e-6, mean(y)));
    this.init = Math.log(prev / (1 - prev));
    this.trees = boost(
      prepareData(X),
      this.init,
      this.settings,
      (scores, out) => {
        for (let i = 0; i < out.length; i++) out[i] = (target[i] as number) - sigmoid(scores[i] as number);
      },
      (rows, scores) => {
        let num = 0;
        let den = 0;
        for (const i of rows) {
          const q = sigmoid(scores[i] as number);
          num += (target[i] as number) - q;
          den += q * (1 - q);
        }
        // A pure leaf drives den towards 0; cap the step so the log-odds cannot explode.
        const step = den > 1e-12 ? num / den : 0;
        return Math.max(-10, Math.min(10, step));
      },
    );
  }

  /** Predicted log-odds of being active. */
  decisionFunction(X: number[][]): number[] {
    if (this.trees.length === 0) throw new Error('gradient boosting classifier: predict called before fit');
    return X.map((row) => sumTrees(this.trees, this.init, this.settings.learningRate, row));
  }

  predictProba(X: number[][]): number[] {
    return this.decisionFunction(X).map(sigmoid);
  }

  predict(X: number[][], threshold = 0.5): number[] {
    return this.predictProba(X).map((q) => (q >= threshold ? 1 : 0));
  }

  toJSON(): SerializedModel {
    if (this.trees.length === 0) throw new Error('gradient boosting classifier: cannot serialize an unfitted model');
    return {
      kind: CLF_KIND,
      formatVersion: FORMAT,
      hyperparameters: settingsToJSON(this.settings),
      state: { init: this.init, trees: this.trees.map((t) => t.toJSON()) },
    };
  }

  static fromJSON(obj: SerializedModel): GradientBoostingClassifier {
    checkSerialized(obj, CLF_KIND, FORMAT);
    const m = new GradientBoostingClassifier(settingsFromJSON(obj.hyperparameters));
    m.init = obj.state.init as number;
    m.trees = (obj.state.trees as SerializedTree[]).map((t) => TreeModel.fromJSON(t));
    return m;
  }
}
