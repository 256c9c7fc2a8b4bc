import { describe, expect, it } from 'vitest';
import { MeanRegressor, PrevalenceClassifier, ScaledFeatureBaseline } from './baselines.ts';
import { DecisionTreeClassifier, DecisionTreeRegressor } from './decision-tree.ts';
import { GaussianProcessRegressor } from './gaussian-process.ts';
import { GradientBoostingClassifier, GradientBoostingRegressor } from './gradient-boosting.ts';
import { KnnTanimotoClassifier, KnnTanimotoRegressor } from './knn-tanimoto.ts';
import { LogisticRidgeClassifier } from './logistic-ridge.ts';
import { RandomForestClassifier, RandomForestRegressor } from './random-forest.ts';
import { RidgeRegressor } from './ridge.ts';
import { modelFromJSON, modelKinds } from './serialization.ts';
import { friedman1 } from './synthetic.ts';
import type { BinaryClassifier, Regressor } from './types.ts';

const { X, y } = friedman1(60, 6, 0.5, 1);
const labels = y.map((v) => (v > 14 ? 1 : 0));
const probe = friedman1(15, 6, 0.5, 2).X;

function fps(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => {
    const f = new Uint8Array(256);
    f[i % 7] = 0xff;
    f[10 + (i % 5)] = 0x0f;
    f[30 + i] = 1;
    return f;
  });
}

describe('modelFromJSON', () => {
  const regressors: Regressor[] = [
    new RidgeRegressor(),
    new DecisionTreeRegressor({ maxDepth: 4 }),
    new RandomForestRegressor({ nEstimators: 5 }),
    new GradientBoostingRegressor({ nEstimators: 10 }),
    new GaussianProcessRegressor({ refinementRounds: 1 }),
    new MeanRegressor(),
    new ScaledFeatureBaseline({ featureIndex: 3 }),
  ];
  const classifiers: BinaryClassifier[] = [
    new LogisticRidgeClassifier(),
    new DecisionTreeClassifier({ maxDepth: 3 }),
    new RandomForestClassifier({ nEstimators: 5 }),
    new GradientBoostingClassifier({ nEstimators: 10 }),
    new PrevalenceClassifier(),
  ];

  it('restores every numeric estimator with identical predictions after a JSON round trip', () => {
    const seen = new Set<string>();
    for (const m of regressors) {
      m.fit(X, y);
      const back = modelFromJSON(JSON.parse(JSON.stringify(m.toJSON()))) as Regressor;
      expect(back.predict(probe)).toEqual(m.predict(probe));
      seen.add(m.toJSON().kind);
    }
    for (const c of classifiers) {
      c.fit(X, labels);
      const back = modelFromJSON(JSON.parse(JSON.stringify(c.toJSON()))) as BinaryClassifier;
      expect(back.predictProba(probe)).toEqual(c.predictProba(probe));
      seen.add(c.toJSON().kind);
    }
    const train = fps(20);
    const knnR = new KnnTanimotoRegressor();
    knnR.fit(train, y.slice(0, 20));
    const knnC = new KnnTanimotoClassifier();
    knnC.fit(train, labels.slice(0, 20));
    const q = fps(25).slice(20);
    expect((modelFromJSON(JSON.parse(JSON.stringify(knnR.toJSON()))) as Regressor<Uint8Array>).predict(q)).toEqual(knnR.predict(q));
    expect((modelFromJSON(JSON.parse(JSON.stringify(knnC.toJSON()))) as BinaryClassifier<Uint8Array>).predictProba(q)).toEqual(knnC.predictProba(q));
    seen.add(knnR.toJSON().kind);
    seen.add(knnC.toJSON().kind);
    expect([...seen].sort()).toEqual([...modelKinds].sort());
  });

  it('rejects unknown kinds and mismatched format versions', () => {
    expect(() => modelFromJSON({ kind: 'nope', formatVersion: 1, hyperparameters: {}, state: {} })).toThrow(/unknown model kind/);
    const m = new RidgeRegressor();
    m.fit(X, y);
    expect(() => modelFromJSON({ ...m.toJSON(), formatVersion: 99 })).toThrow(/format version/);
  });
});
