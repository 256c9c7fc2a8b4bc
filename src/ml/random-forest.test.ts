import { describe, expect, it } from 'vitest';
import { rmse, rocAuc } from './metrics.ts';
import { RandomForestClassifier, RandomForestRegressor } from './random-forest.ts';
import { friedman1 } from './synthetic.ts';

const train = friedman1(300, 50, 1, 101);
const test = friedman1(400, 50, 1, 202);
const trainMean = train.y.reduce((s, v) => s + v, 0) / train.y.length;
const baselineRmse = rmse(test.y, test.y.map(() => trainMean));

describe('RandomForestRegressor on Friedman #1 (300 × 50)', () => {
  const started = performance.now();
  const rf = new RandomForestRegressor({ nEstimators: 200, seed: 1 });
  rf.fit(train.X, train.y);
  const fitSeconds = (performance.now() - started) / 1000;

  it('beats the mean baseline clearly', () => {
    const score = rmse(test.y, rf.predict(test.X));
    expect(score).toBeLessThan(0.7 * baselineRmse);
  });

  it('trains 200 trees in a few seconds', () => {
    // About 0.6 s on one core when measured; the bound leaves room for a loaded CI machine.
    expect(fitSeconds).toBeLessThan(8);
    expect(rf.trees).toHaveLength(200);
  });

  it('ranks the informative features (x1, x2, x4) above all distractors', () => {
    const imp = rf.featureImportance;
    expect(imp.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    const maxNoise = Math.max(...imp.slice(5));
    for (const j of [0, 1, 3]) expect(imp[j]!).toBeGreaterThan(maxNoise);
  });

  it('reports tree spread and restores bit-identical predictions from JSON', () => {
    const { mean, std } = rf.predictWithStd(test.X.slice(0, 20));
    expect(std.every((s) => s > 0)).toBe(true);
    const back = RandomForestRegressor.fromJSON(JSON.parse(JSON.stringify(rf.toJSON())));
    expect(back.predictWithStd(test.X.slice(0, 20))).toEqual({ mean, std });
  });

  it('is reproducible for a seed and varies with it', () => {
    const a = new RandomForestRegressor({ nEstimators: 10, seed: 5 });
    const b = new RandomForestRegressor({ nEstimators: 10, seed: 5 });
    const c = new RandomForestRegressor({ nEstimators: 10, seed: 6 });
    for (const m of [a, b, c]) m.fit(train.X, train.y);
    expect(a.predict(test.X)).toEqual(b.predict(test.X));
    expect(a.predict(test.X)).not.toEqual(c.predict(test.X));
  });

  it('samples features per split: with maxFeatures "all" and no bootstrap every tree is the same', () => {
    const det = new RandomForestRegressor({ nEstimators: 3, maxFeatures: 'all', bootstrap: false });
    det.fit(train.X, train.y);
    expect(det.trees[1]!.toJSON()).toEqual(det.trees[0]!.toJSON());
    const sub = new RandomForestRegressor({ nEstimators: 3, maxFeatures: 'sqrt', bootstrap: false });
    sub.fit(train.X, train.y);
    expect(sub.trees[1]!.toJSON()).not.toEqual(sub.trees[0]!.toJSON());
  });

  it('honours minSamplesLeaf and maxDepth', () => {
    const shallow = new RandomForestRegressor({ nEstimators: 5, maxDepth: 2 });
    shallow.fit(train.X, train.y);
    for (const t of shallow.trees) expect(t.nodeCount).toBeLessThanOrEqual(7);
    const coarse = new RandomForestRegressor({ nEstimators: 5, minSamplesLeaf: 40 });
    coarse.fit(train.X, train.y);
    // 300 bootstrap draws with ≥ 40 per leaf: at most 7 leaves, so at most 13 nodes.
    for (const t of coarse.trees) expect(t.nodeCount).toBeLessThanOrEqual(13);
  });
});

describe('RandomForestClassifier', () => {
  it('separates active from inactive Friedman responses', () => {
    const threshold = 14;
    const yTrain = train.y.map((v) => (v > threshold ? 1 : 0));
    const yTest = test.y.map((v) => (v > threshold ? 1 : 0));
    const clf = new RandomForestClassifier({ nEstimators: 150, seed: 3 });
    clf.fit(train.X, yTrain);
    const p = clf.predictProba(test.X);
    expect(p.every((q) => q >= 0 && q <= 1)).toBe(true);
    expect(rocAuc(yTest, p)).toBeGreaterThan(0.8);
    const back = RandomForestClassifier.fromJSON(JSON.parse(JSON.stringify(clf.toJSON())));
    expect(back.predictProba(test.X)).toEqual(p);
  });
});
