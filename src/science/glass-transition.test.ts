import { describe, expect, it } from 'vitest';
import {
  GlassTransitionInputError,
  WATER_TG_DEFAULT,
  binaryTgCurve,
  couchmanKaraszMixture,
  foxBinary,
  foxMixture,
  gordonTaylorBinary,
  gordonTaylorKFromHeatCapacity,
  gordonTaylorKFromPoint,
  gordonTaylorMixture,
} from './glass-transition.ts';

// Test vector from /work/shared/research/science.md §1.3 (computed for that report):
// GT with Tg,w = 135 K, Tg,glycerol = 190 K, k = 2.84; Fox with the same pure Tg values.
const GLYCEROL = { soluteTg: 190, k: 2.84, waterTg: 135 };
const GT_VECTOR: [number, number][] = [
  [0.55, 151.6], [0.6, 154.0], [0.7, 159.8], [0.76, 164.0], [0.8, 167.2], [0.9, 176.8], [1.0, 190.0],
];
const FOX_VECTOR: [number, number][] = [[0.6, 163.4], [0.76, 173.1], [0.9, 182.6], [1.0, 190.0]];

describe('Gordon–Taylor, glycerol–water test vector', () => {
  it.each(GT_VECTOR)('w = %f → %f K', (w, tg) => {
    expect(Math.abs(gordonTaylorBinary({ ...GLYCEROL, soluteMassFraction: w }) - tg)).toBeLessThanOrEqual(0.1);
  });

  it('multicomponent GT with one solute equals binary GT', () => {
    for (const [w] of GT_VECTOR) {
      const mix = gordonTaylorMixture({ water: { massFraction: 1 - w, tg: 135 }, solutes: [{ key: 'glycerol', massFraction: w, tg: 190, k: 2.84 }] });
      expect(mix.kelvin).not.toBeNull();
      expect(mix.kelvin!).toBeCloseTo(gordonTaylorBinary({ ...GLYCEROL, soluteMassFraction: w }), 10);
    }
  });

  it('recovers k = 2.84 from the Inaba & Andersson point (76 wt%, 164 K)', () => {
    expect(gordonTaylorKFromPoint({ soluteMassFraction: 0.76, tg: 164 }, 190, 135)).toBeCloseTo(2.84, 2);
  });

  it('is pure water at w = 0 and uses 136 K by default', () => {
    expect(gordonTaylorBinary({ soluteTg: 190, k: 2.84, soluteMassFraction: 0 })).toBe(WATER_TG_DEFAULT);
    expect(WATER_TG_DEFAULT).toBe(136);
  });
});

describe('Fox, glycerol–water test vector', () => {
  it.each(FOX_VECTOR)('w = %f → %f K', (w, tg) => {
    expect(Math.abs(foxBinary({ soluteTg: 190, waterTg: 135, soluteMassFraction: w }) - tg)).toBeLessThanOrEqual(0.1);
    const mix = foxMixture({ water: { massFraction: 1 - w, tg: 135 }, solutes: [{ key: 'glycerol', massFraction: w, tg: 190 }] });
    expect(Math.abs(mix.kelvin! - tg)).toBeLessThanOrEqual(0.1);
  });
});

describe('multicomponent mixing rules', () => {
  const ternary = {
    water: { massFraction: 0.4, tg: 136 },
    solutes: [
      { key: 'glycerol', massFraction: 0.4, tg: 190, k: 2.84 },
      { key: 'sucrose', massFraction: 0.2, tg: 335, k: 4.7 },
    ],
  };

  it('multicomponent GT is the k-weighted mean, bounded by the pure values', () => {
    const tg = gordonTaylorMixture(ternary).kelvin!;
    const expected = (0.4 * 136 + (0.4 / 2.84) * 190 + (0.2 / 4.7) * 335) / (0.4 + 0.4 / 2.84 + 0.2 / 4.7);
    expect(tg).toBeCloseTo(expected, 10);
    expect(tg).toBeGreaterThan(136);
    expect(tg).toBeLessThan(335);
  });

  it('Couchman–Karasz linear form equals GT with k = ΔCp_w / ΔCp_s', () => {
    const dCpWater = 1.94;
    const dCpGly = 0.9;
    const dCpSuc = 0.6;
    const ck = couchmanKaraszMixture({
      water: { massFraction: 0.4, tg: 136, deltaCp: dCpWater },
      solutes: [
        { key: 'glycerol', massFraction: 0.4, tg: 190, deltaCp: dCpGly },
        { key: 'sucrose', massFraction: 0.2, tg: 335, deltaCp: dCpSuc },
      ],
    });
    const gt = gordonTaylorMixture({
      water: { massFraction: 0.4, tg: 136 },
      solutes: [
        { key: 'glycerol', massFraction: 0.4, tg: 190, k: gordonTaylorKFromHeatCapacity(dCpWater, dCpGly) },
        { key: 'sucrose', massFraction: 0.2, tg: 335, k: gordonTaylorKFromHeatCapacity(dCpWater, dCpSuc) },
      ],
    });
    expect(ck.kelvin!).toBeCloseTo(gt.kelvin!, 10);
  });

  it('Couchman–Karasz log form lies below the linear form (weighted geometric ≤ arithmetic mean)', () => {
    const mixture = {
      water: { massFraction: 0.5, tg: 136, deltaCp: 1.9 },
      solutes: [{ key: 'trehalose', massFraction: 0.5, tg: 373, deltaCp: 0.55 }],
    };
    const lin = couchmanKaraszMixture(mixture, 'linear').kelvin!;
    const log = couchmanKaraszMixture(mixture, 'log').kelvin!;
    expect(log).toBeLessThan(lin);
    const wq = [0.5 * 1.9, 0.5 * 0.55];
    expect(log).toBeCloseTo(Math.exp((wq[0]! * Math.log(136) + wq[1]! * Math.log(373)) / (wq[0]! + wq[1]!)), 10);
  });
});

describe('missing parameters are reported, never guessed', () => {
  it('GT names the components without Tg or k', () => {
    const r = gordonTaylorMixture({
      water: { massFraction: 0.45 },
      solutes: [
        { key: 'dmso', massFraction: 0.2, tg: null, k: null },
        { key: 'glycerol', massFraction: 0.3, tg: 190, k: 2.84 },
        { key: 'formamide', massFraction: 0.05, tg: 200 },
        { key: 'absent', massFraction: 0 },
      ],
    });
    expect(r.kelvin).toBeNull();
    expect(r.missing).toEqual([
      { component: 'dmso', missing: ['tg', 'k'] },
      { component: 'formamide', missing: ['k'] },
    ]);
  });

  it('CK asks for water ΔCp', () => {
    const r = couchmanKaraszMixture({ water: { massFraction: 0.5 }, solutes: [{ key: 'g', massFraction: 0.5, tg: 190, deltaCp: 0.9 }] });
    expect(r.missing).toEqual([{ component: 'water', missing: ['deltaCp'] }]);
  });

  it('rejects fractions that do not sum to 1', () => {
    expect(() => foxMixture({ water: { massFraction: 0.5 }, solutes: [{ key: 'g', massFraction: 0.4, tg: 190 }] })).toThrow(GlassTransitionInputError);
  });
});

describe('binary Tg curve', () => {
  it('spans water to solute, is monotonic for GT, and matches the point function', () => {
    const curve = binaryTgCurve(GLYCEROL, { points: 11 });
    expect(curve).toHaveLength(11);
    expect(curve[0]).toEqual({ soluteMassFraction: 0, kelvin: 135 });
    expect(curve[10]!.soluteMassFraction).toBe(1);
    expect(curve[10]!.kelvin).toBeCloseTo(190, 10);
    for (let i = 1; i < curve.length; i++) expect(curve[i]!.kelvin).toBeGreaterThan(curve[i - 1]!.kelvin);
    expect(curve[6]!.kelvin).toBeCloseTo(gordonTaylorBinary({ ...GLYCEROL, soluteMassFraction: 0.6 }), 10);
  });

  it('can draw Fox over a sub-range', () => {
    const curve = binaryTgCurve({ soluteTg: 190, waterTg: 135 }, { model: 'fox', from: 0.5, to: 1, points: 6 });
    expect(curve[0]!.soluteMassFraction).toBe(0.5);
    expect(curve[2]!.kelvin).toBeCloseTo(foxBinary({ soluteTg: 190, waterTg: 135, soluteMassFraction: 0.7 }), 10);
  });

  it('refuses GT without k', () => {
    expect(() => binaryTgCurve({ soluteTg: 190 })).toThrow(GlassTransitionInputError);
  });
});
