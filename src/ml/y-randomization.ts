/**
 * Y-randomization (Tropsha 2010, Mol. Inf. 29:476): refit on permuted targets with the same folds. A model
 * whose cross-validated score on real targets is not clearly better than on shuffled ones has learned chance
 * correlations.
 */
import { createRng } from './rng.ts';
import type { BinaryClassifier, Regressor } from './types.ts';
import { crossValPredict, crossValPredictProba, type Fold } from './validation.ts';

export interface YRandomizationInput<Row> {
  X: readonly Row[];
  y: readonly number[];
  folds: readonly Fold[];
  /** Builds a fresh, unfitted model; a regressor or a binary classifier. */
  factory: () => Regressor<Row> | BinaryClassifier<Row>;
  /** Score of out-of-fold predictions (P(active) for classifiers), e.g. r2 or rocAuc. */
  metric: (yTrue: number[], predictions: number[]) => number;
  higherIsBetter: boolean;
  /** Default 20. */
  nPermutations?: number;
  seed: number;
}

export interface YRandomizationResult {
  observed: number;
  permuted: number[];
  permutedMean: number;
  permutedSd: number;
  /** (1 + #permutations at least as good as observed) / (1 + nPermutations). */
  pValue: number;
}

export function yRandomization<Row>(input: YRandomizationInput<Row>): YRandomizationResult {
  const nPerm = input.nPermutations ?? 20;
  const score = (y: readonly number[]): number => {
    const probe = input.factory();
    const res =
      'predictProba' in probe
        ? crossValPredictProba(input.factory as () => BinaryClassifier<Row>, input.X, y, input.folds)
        : crossValPredict(input.factory as () => Regressor<Row>, input.X, y, input.folds);
    const tested = res.foldOf.map((f, i) => (f >= 0 ? i : -1)).filter((i) => i >= 0);
    return input.metric(tested.map((i) => y[i] as number), tested.map((i) => res.predictions[i] as number));
  };
  const observed = score(input.y);
  const rng = createRng(input.seed);
  const permuted: number[] = [];
  for (let p = 0; p < nPerm; p++) permuted.push(score(rng.shuffle(input.y.slice())));
  const m = permuted.reduce((s, v) => s + v, 0) / nPerm;
  const sdv = Math.sqrt(permuted.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, nPerm - 1));
  const asGood = permuted.filter((v) => (input.higherIsBetter ? v >= observed : v <= observed)).length;
  return { observed, permuted, permutedMean: m, permutedSd: sdv, pValue: (1 + asGood) / (1 + nPerm) };
}
