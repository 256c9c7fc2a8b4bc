import { describe, expect, it } from 'vitest';
import { createRng } from './rng.ts';

describe('Rng', () => {
  it('reproduces a stream from a seed and differs between seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('gives uniform floats in [0,1) with the right mean and variance', () => {
    const r = createRng(1);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) outOfRange++;
      s += u;
      s2 += u * u;
    }
    expect(outOfRange).toBe(0);
    // Mean 1/2 (sd of the mean ≈ 0.0009), variance 1/12.
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 2);
  });

  it('draws unbiased integers covering the whole range', () => {
    const r = createRng(7);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.nextInt(6)]! += 1;
    // Each expected 10,000 with sd ≈ 91; 5 sd tolerance.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(460);
  });

  it('gives standard normal deviates', () => {
    const r = createRng(3);
    const xs = Array.from({ length: 50_000 }, () => r.normal());
    const m = xs.reduce((s, v) => s + v, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
    expect(Math.abs(m)).toBeLessThan(0.02);
    expect(Math.abs(v - 1)).toBeLessThan(0.03);
    // P(|z| > 1.96) = 0.05
    const tail = xs.filter((x) => Math.abs(x) > 1.96).length / xs.length;
    expect(Math.abs(tail - 0.05)).toBeLessThan(0.006);
  });

  it('shuffles into a permutation and samples correctly', () => {
    const r = createRng(5);
    const p = r.permutation(50);
    expect(p.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const s = r.sampleWithoutReplacement(30, 30);
    expect(new Set(s).size).toBe(30);
    expect(() => r.sampleWithoutReplacement(3, 4)).toThrow();
    const boot = r.sampleWithReplacement(1000, 1000);
    // A bootstrap sample contains about 1 − 1/e ≈ 63.2 % distinct rows.
    expect(new Set(boot).size / 1000).toBeGreaterThan(0.58);
    expect(new Set(boot).size / 1000).toBeLessThan(0.68);
  });

  it('forks reproducible independent streams', () => {
    const a = createRng(9).fork();
    const b = createRng(9).fork();
    expect(a.next()).toBe(b.next());
  });
});
