// Public surface of the ML core; see docs/ml.md.
export * from './types.ts';
export * from './rng.ts';
export * from './standardize.ts';
export * from './synthetic.ts';
export { RidgeRegressor, type RidgeOptions } from './ridge.ts';
export { LogisticRidgeClassifier, type LogisticRidgeOptions } from './logistic-ridge.ts';
export {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  resolveMaxFeatures,
  type DecisionTreeOptions,
  type MaxFeatures,
  type TreeOptions,
} from './decision-tree.ts';
export { RandomForestClassifier, RandomForestRegressor, type RandomForestOptions } from './random-forest.ts';
export { GradientBoostingClassifier, GradientBoostingRegressor, type GradientBoostingOptions } from './gradient-boosting.ts';
export {
  GaussianProcessRegressor,
  type GaussianProcessHyperparameters,
  type GaussianProcessOptions,
} from './gaussian-process.ts';
export {
  fingerprintFromHex,
  fingerprintToHex,
  KnnTanimotoClassifier,
  KnnTanimotoRegressor,
  nearestNeighbourSimilarity,
  tanimoto,
  type KnnTanimotoOptions,
} from './knn-tanimoto.ts';
export * from './baselines.ts';
export * from './metrics.ts';
export * from './y-randomization.ts';
export * from './validation.ts';
export * from './conformal.ts';
export * from './features.ts';
export * from './evaluation.ts';
export * from './serialization.ts';
export * from './molecule-features.ts';
// The training pipeline has its own evaluateModel/SplitSpec (for artifacts); a namespace keeps both names usable.
export * as pipeline from './pipeline.ts';
