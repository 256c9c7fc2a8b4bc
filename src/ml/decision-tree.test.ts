import { describe, expect, it } from 'vitest';
import { DecisionTreeClassifier, DecisionTreeRegressor, resolveMaxFeatures } from './decision-tree.ts';
import { createRng } from './rng.ts';

describe('DecisionTreeRegressor', () => {
  it('finds the variance-reducing threshold midway between distinct values', () => {
    const X = [[1], [2], [3], [4], [5], [6]];
    const y = [1, 1, 1, 5, 5, 5];
    const t = new DecisionTreeRegressor();
    t.fit(X, y);
    expect(t.tree?.threshold[0]).toBe(3.5);
    expect(t.predict([[0], [3.49], [3.51], [99]])).toEqual([1, 1, 5, 5]);
    expect(t.tree?.nodeCount).toBe(3);
  });

  it('picks the informative feature and credits it all the importance', () => {
    const rng = createRng(1);
    const X = Array.from({ length: 100 }, () => [rng.next(), rng.next()]);
    const y = X.map(([a]) => (a! > 0.6 ? 10 : 0));
    const t = new DecisionTreeRegressor({ maxDepth: 1 });
    t.fit(X, y);
    expect(t.tree?.feature[0]).toBe(0);
    expect(t.featureImportance).toEqual([1, 0]);
    // The best cut lies between the largest x ≤ 0.6 and the smallest x > 0.6.
    const below = Math.max(...X.map((r) => r[0]!).filter((v) => v <= 0.6));
    const above = Math.min(...X.map((r) => r[0]!).filter((v) => v > 0.6));
    expect(t.tree?.threshold[0]).toBeCloseTo((below + above) / 2, 12);
  });

  it('respects maxDepth = 0 (mean), minSamplesLeaf and ties', () => {
    const X = [[1], [1], [1], [2], [3]];
    const y = [0, 0, 0, 10, 20];
    const stump = new DecisionTreeRegressor({ maxDepth: 0 });
    stump.fit(X, y);
    expect(stump.predict([[5]])).toEqual([6]);
    // Tied x = 1 rows cannot be separated; with minSamplesLeaf 2 the only legal cut is 1 | 2,3 (sizes 3 and 2).
    const t = new DecisionTreeRegressor({ minSamplesLeaf: 2 });
    t.fit(X, y);
    expect(t.predict([[1], [2], [3]])).toEqual([0, 15, 15]);
  });

  it('fits training data exactly when unrestricted and round-trips through JSON', () => {
    const rng = createRng(2);
    const X = Array.from({ length: 50 }, () => [rng.next(), rng.next(), rng.next()]);
    const y = X.map((r) => Math.sin(6 * r[0]!) + r[1]! * r[2]!);
    const t = new DecisionTreeRegressor();
    t.fit(X, y);
    t.predict(X).forEach((p, i) => expect(p).toBeCloseTo(y[i]!, 12));
    const back = DecisionTreeRegressor.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
    const probe = Array.from({ length: 20 }, () => [rng.next(), rng.next(), rng.next()]);
    expect(back.predict(probe)).toEqual(t.predict(probe));
  });
});

describe('DecisionTreeClassifier', () => {
  it('splits on the Gini-optimal cut and gives leaf class fractions', () => {
    // Cut at 2.5 leaves {0,0} | {1,1,0}: Gini decrease 0.48 − (3/5)(4/9) = 0.2133, the best available.
    const X = [[1], [2], [3], [4], [5]];
    const y = [0, 0, 1, 1, 0];
    const t = new DecisionTreeClassifier({ maxDepth: 1 });
    t.fit(X, y);
    expect(t.tree?.threshold[0]).toBe(2.5);
    const p = t.predictProba([[0], [10]]);
    expect(p[0]).toBe(0);
    expect(p[1]).toBeCloseTo(2 / 3, 12);
    expect(t.predict([[0], [10]])).toEqual([0, 1]);
  });

  it('rejects labels other than 0/1', () => {
    expect(() => new DecisionTreeClassifier().fit([[1], [2]], [0, 2])).toThrow(/0 or 1/);
  });
});

describe('resolveMaxFeatures', () => {
  it('maps names and fractions to counts of at least one', () => {
    expect(resolveMaxFeatures('all', 50)).toBe(50);
    expect(resolveMaxFeatures('sqrt', 50)).toBe(7);
    expect(resolveMaxFeatures('third', 50)).toBe(16);
    expect(resolveMaxFeatures('log2', 2)).toBe(1);
    expect(resolveMaxFeatures(0.5, 3)).toBe(1);
    expect(() => resolveMaxFeatures(2, 10)).toThrow();
  });
});
