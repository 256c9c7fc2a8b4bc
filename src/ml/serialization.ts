/**
 * Restore any fitted estimator from its `toJSON()` output. Restored models give bit-identical predictions.
 */
import { MeanRegressor, PrevalenceClassifier, ScaledFeatureBaseline } from './baselines.ts';
import { DecisionTreeClassifier, DecisionTreeRegressor } from './decision-tree.ts';
import { GaussianProcessRegressor } from './gaussian-process.ts';
import { GradientBoostingClassifier, GradientBoostingRegressor } from './gradient-boosting.ts';
import { KnnTanimotoClassifier, KnnTanimotoRegressor } from './knn-tanimoto.ts';
import { LogisticRidgeClassifier } from './logistic-ridge.ts';
import { RandomForestClassifier, RandomForestRegressor } from './random-forest.ts';
import { RidgeRegressor } from './ridge.ts';
import type { BinaryClassifier, Regressor, SerializedModel } from './types.ts';

type AnyModel = Regressor<number[]> | Regressor<Uint8Array> | BinaryClassifier<number[]> | BinaryClassifier<Uint8Array>;

const restorers: Record<string, (obj: SerializedModel) => AnyModel> = {
  'ridge-regressor': RidgeRegressor.fromJSON,
  'logistic-ridge-classifier': LogisticRidgeClassifier.fromJSON,
  'decision-tree-regressor': DecisionTreeRegressor.fromJSON,
  'decision-tree-classifier': DecisionTreeClassifier.fromJSON,
  'random-forest-regressor': RandomForestRegressor.fromJSON,
  'random-forest-classifier': RandomForestClassifier.fromJSON,
  'gradient-boosting-regressor': GradientBoostingRegressor.fromJSON,
  'gradient-boosting-classifier': GradientBoostingClassifier.fromJSON,
  'gaussian-process-regressor': GaussianProcessRegressor.fromJSON,
  'knn-tanimoto-regressor': KnnTanimotoRegressor.fromJSON,
  'knn-tanimoto-classifier': KnnTanimotoClassifier.fromJSON,
  'mean-regressor': (o) => MeanRegressor.fromJSON(o),
  'prevalence-classifier': (o) => PrevalenceClassifier.fromJSON(o),
  'scaled-feature-baseline': ScaledFeatureBaseline.fromJSON,
};

export const modelKinds: readonly string[] = Object.keys(restorers);

/** Restore a model; the caller narrows the type by `kind` (regressors have `predict`, classifiers `predictProba`). */
export function modelFromJSON(obj: SerializedModel): AnyModel {
  const restore = restorers[obj.kind];
  if (!restore) throw new Error(`unknown model kind '${obj.kind}' (known: ${modelKinds.join(', ')})`);
  return restore(obj);
}
