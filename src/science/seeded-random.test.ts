import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.ts';

describe('seededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(seededRandom(43).next()).not.toBe(first[0]);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('remaps the zero seed, which xorshift would never leave', () => {
    const zero = seededRandom(0);
    const values = new Set(Array.from({ length: 10 }, () => zero.next()));
    expect(values.size).toBe(10);
  });

  it('keeps int, uniform and pick within their ranges and refuses to pick from nothing', () => {
    const r = seededRandom(7);
    const ints = Array.from({ length: 500 }, () => r.int(1, 3));
    expect(new Set(ints)).toEqual(new Set([1, 2, 3]));
    const us = Array.from({ length: 200 }, () => r.uniform(-2, 5));
    expect(us.every((u) => u >= -2 && u < 5)).toBe(true);
    const picked = new Set(Array.from({ length: 200 }, () => r.pick(['a', 'b'])));
    expect(picked).toEqual(new Set(['a', 'b']));
    expect(() => r.pick([])).toThrow(RangeError);
  });
});
