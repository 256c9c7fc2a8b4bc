import { describe, expect, it } from 'vitest';
import { foxBinary, GlassTransitionInputError, gordonTaylorBinary } from './glass-transition.ts';

describe('glass-transition input checks', () => {
  it.each([-0.1, 1.2, Number.NaN])('refuses a solute mass fraction of %s', (soluteMassFraction) => {
    expect(() => gordonTaylorBinary({ soluteMassFraction, soluteTg: 190, k: 2 })).toThrow(GlassTransitionInputError);
    expect(() => foxBinary({ soluteMassFraction, soluteTg: 190 })).toThrow(/Solute mass fraction must be a mass fraction in \[0, 1\]/);
  });
});
