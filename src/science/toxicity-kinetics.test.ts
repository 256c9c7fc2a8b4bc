import { describe, expect, it } from 'vitest';
import { type SeededRandom, seededRandom } from './seeded-random.ts';
import {
  createToxicityModel,
  cumulativeHazard,
  type ExposureStep,
  fitToxicityModel,
  normalQuantile,
  predictSurvival,
  survivalFraction,
  type ToxicityObservation,
  type ToxicityParameters,
  ToxicityModelError,
  toxicityRate,
} from './toxicity-kinetics.ts';

/** Standard normal deviate by Box–Muller from the seeded uniform generator. */
function gaussian(rng: SeededRandom): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

const issuesOf = (fn: () => unknown): { field: string; message: string }[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ToxicityModelError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ToxicityModelError');
};

// A made-up three-CPA truth for synthetic tests (not published values): A and B have specific toxicity,
// C (EG-like) little; the non-specific term is super-linear in total molality; B neutralizes A.
const TRUTH: ToxicityParameters = {
  specific: {
    A: { rate: 0.004, exponent: 1.8 },
    B: { rate: 0.006, exponent: 1.2 },
    C: { rate: 0.002, exponent: 1.0 },
  },
  nonSpecific: { rate: 0.0004, exponent: 2.5 },
  interactions: [
    { cpas: ['A', 'B'], coefficient: -0.003 },
    { cpas: ['A', 'C'], coefficient: 0.001 },
    { cpas: ['B', 'C'], coefficient: 0.0 },
  ],
};

/**
 * Singles at five molalities, every binary at four compositions, two ternaries; 5–30 min each; ln S
 * with Gaussian noise of the given standard deviation.
 */
function syntheticDesign(truth: ToxicityParameters, noise: number, seed: number): ToxicityObservation[] {
  const rng = seededRandom(seed);
  const compositions: Record<string, number>[] = [];
  for (const cpa of ['A', 'B', 'C']) for (const m of [1.5, 3, 4.5, 6, 8]) compositions.push({ [cpa]: m });
  for (const [x, y] of [['A', 'B'], ['A', 'C'], ['B', 'C']] as const) {
    compositions.push({ [x]: 2, [y]: 2 }, { [x]: 4, [y]: 2 }, { [x]: 2, [y]: 5 }, { [x]: 1, [y]: 1 });
  }
  compositions.push({ A: 2, B: 2, C: 2 }, { A: 1, B: 3, C: 1.5 });
  const observations: ToxicityObservation[] = [];
  for (const composition of compositions) {
    for (const minutes of [5, 10, 20, 30]) {
      const exact = survivalFraction(truth, composition, minutes);
      observations.push({ composition, exposure: minutes, survival: Math.exp(Math.log(exact) + noise * gaussian(rng)) });
    }
  }
  return observations;
}

/** A ternary composition that is not in the training design. */
const HELD_OUT = { A: 3, B: 1.5, C: 2 };

describe('exact integration of piecewise-constant exposures', () => {
  const glycerolOnly: ToxicityParameters = { specific: { gly: { rate: 0.01, exponent: 2 } }, nonSpecific: { rate: 0, exponent: 1 }, interactions: [] };

  it('single duration: S = exp(−a·c^p·t)', () => {
    expect(survivalFraction(glycerolOnly, { gly: 3 }, 12)).toBeCloseTo(Math.exp(-0.01 * 9 * 12), 14);
  });

  it('three-step addition: H = Σ k(c_s)·Δt_s, written out by hand', () => {
    // 0.01·(2²·5 + 4²·5 + 6²·10) = 0.01·(20 + 80 + 360) = 4.6
    const steps = [
      { minutes: 5, composition: { gly: 2 } },
      { minutes: 5, composition: { gly: 4 } },
      { minutes: 10 },
    ];
    expect(cumulativeHazard(glycerolOnly, { gly: 6 }, steps)).toBeCloseTo(4.6, 12);
    expect(survivalFraction(glycerolOnly, { gly: 6 }, steps)).toBeCloseTo(Math.exp(-4.6), 14);
  });

  it('every term of the rate law, by hand', () => {
    const c = { A: 2, B: 3, C: 1 };
    const expected =
      0.004 * 2 ** 1.8 + 0.006 * 3 ** 1.2 + 0.002 * 1 + 0.0004 * 6 ** 2.5 + -0.003 * 2 * 3 + 0.001 * 2 * 1;
    expect(toxicityRate(TRUTH, c)).toBeCloseTo(expected, 14);
    expect(cumulativeHazard(TRUTH, c, [{ minutes: 7 }, { minutes: 3, composition: { A: 2 } }])).toBeCloseTo(
      7 * expected + 3 * (0.004 * 2 ** 1.8 + 0.0004 * 2 ** 2.5),
      12,
    );
  });

  it('step order does not matter, and a neutralized rate is clamped at zero', () => {
    const forward: ExposureStep[] = [{ minutes: 4, composition: { A: 1 } }, { minutes: 9, composition: { A: 3, B: 1 } }];
    expect(cumulativeHazard(TRUTH, {}, forward)).toBeCloseTo(cumulativeHazard(TRUTH, {}, [...forward].reverse()), 14);
    const neutralizing: ToxicityParameters = { ...glycerolOnly, specific: { ...glycerolOnly.specific, fa: { rate: 0.01, exponent: 1 } }, interactions: [{ cpas: ['fa', 'gly'], coefficient: -1 }] };
    expect(toxicityRate(neutralizing, { fa: 2, gly: 2 })).toBe(0);
    expect(survivalFraction(neutralizing, { fa: 2, gly: 2 }, 30)).toBe(1);
  });

  it('a linear ramp in many steps converges to the closed-form integral a·r^p·T^(p+1)/(p+1)', () => {
    const rate = 0.5; // mol/kg per minute
    const total = 10;
    const steps = Array.from({ length: 4000 }, (_, s) => ({ minutes: total / 4000, composition: { gly: rate * (s + 0.5) * (total / 4000) } }));
    const closedForm = (0.01 * rate ** 2 * total ** 3) / 3;
    expect(cumulativeHazard(glycerolOnly, {}, steps)).toBeCloseTo(closedForm, 6);
  });

  it('rejects bad exposures and compositions, naming the field', () => {
    expect(issuesOf(() => cumulativeHazard(glycerolOnly, { gly: -1 }, 5)).map((i) => i.field)).toEqual(['composition.gly']);
    expect(issuesOf(() => cumulativeHazard(glycerolOnly, { gly: 1 }, 0)).map((i) => i.field)).toEqual(['exposure']);
    expect(issuesOf(() => cumulativeHazard(glycerolOnly, { gly: 1 }, [{ minutes: Number.NaN }])).map((i) => i.field)).toEqual(['exposure[0].minutes']);
    expect(issuesOf(() => cumulativeHazard(glycerolOnly, { gly: 1 }, [])).map((i) => i.field)).toEqual(['exposure']);
  });
});

describe('normalQuantile', () => {
  it('matches tabulated standard normal quantiles', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644853627, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 8);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829304, 8);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe('fitToxicityModel: one CPA at one molality is linear regression through the origin', () => {
  // ln S = −a·c·t + ε with the exponent fixed at 1 (one molality): â and its standard error in closed form.
  const c = 5;
  const rng = seededRandom(11);
  const times = [2, 5, 10, 15, 20, 30, 45, 60];
  const observations = times.map((t) => ({ composition: { dmso: c }, exposure: t, survival: Math.exp(-0.003 * c * t + 0.04 * gaussian(rng)) }));
  const x = times.map((t) => c * t);
  const y = observations.map((o) => Math.log(o.survival));
  const sxx = x.reduce((s, v) => s + v * v, 0);
  const slope = -x.reduce((s, v, i) => s + v * y[i]!, 0) / sxx;
  const rss = y.reduce((s, v, i) => s + (v + slope * x[i]!) ** 2, 0);
  const sigma = Math.sqrt(rss / (times.length - 1));
  const se = sigma / Math.sqrt(sxx);

  const fit = fitToxicityModel(observations);

  it('estimates the rate and its standard error exactly', () => {
    const rate = fit.parameters.find((p) => p.name === 'specific.rate:dmso')!;
    expect(rate.status).toBe('estimated');
    expect(rate.value).toBeCloseTo(slope, 10);
    expect(rate.standardError!).toBeCloseTo(se, 10);
    expect(fit.degreesOfFreedom).toBe(times.length - 1);
    expect(fit.residualStandardDeviation).toBeCloseTo(sigma, 10);
    expect(fit.converged).toBe(true);
  });

  it('reports the exponent and the non-specific term as not identified', () => {
    expect(fit.notIdentified.map((t) => [t.parameter, t.fixedAt])).toEqual([
      ['specific.exponent:dmso', 1],
      ['nonSpecific.rate', 0],
      ['nonSpecific.exponent', 1],
    ]);
    expect(fit.parameters.find((p) => p.name === 'specific.exponent:dmso')!.status).toBe('notIdentified');
  });

  it('gives the delta-method interval in closed form (log-H scale)', () => {
    const prediction = predictSurvival(fit.model, { dmso: c }, 40, { level: 0.9 });
    const h = slope * c * 40;
    const seH = c * 40 * se;
    const z = normalQuantile(0.95);
    expect(prediction.survival).toBeCloseTo(Math.exp(-h), 10);
    expect(prediction.interval!.lower).toBeCloseTo(Math.exp(-h * Math.exp((z * seH) / h)), 10);
    expect(prediction.interval!.upper).toBeCloseTo(Math.exp(-h * Math.exp((-z * seH) / h)), 10);
    expect(prediction.predictionInterval!.lower).toBeCloseTo(Math.exp(-h - z * Math.hypot(seH, sigma)), 10);
    expect(prediction.inDomain).toBe(true);
    expect(prediction.notes.some((n) => n.startsWith('specific.exponent:dmso = 1'))).toBe(true);
  });

  it('flags extrapolation and refuses CPAs it never saw', () => {
    const longer = predictSurvival(fit.model, { dmso: 6 }, 90);
    expect(longer.inDomain).toBe(false);
    expect(longer.notes.join(' ')).toMatch(/above the highest fitted/);
    expect(longer.notes.join(' ')).toMatch(/longer than any fitted/);
    expect(issuesOf(() => predictSurvival(fit.model, { dmso: 1, glycerol: 2 }, 5)).map((i) => i.field)).toEqual(['composition.glycerol']);
  });
});

describe('fitToxicityModel: recovering known parameters from synthetic mixture data', () => {
  it('recovers every parameter almost exactly from noise-free data', () => {
    const fit = fitToxicityModel(syntheticDesign(TRUTH, 0, 1));
    expect(fit.notIdentified).toEqual([]);
    const value = (name: string): number => fit.parameters.find((p) => p.name === name)!.value;
    for (const [cpa, term] of Object.entries(TRUTH.specific)) {
      expect(value(`specific.rate:${cpa}`)).toBeCloseTo(term.rate, 6);
      expect(value(`specific.exponent:${cpa}`)).toBeCloseTo(term.exponent, 4);
    }
    expect(value('nonSpecific.rate')).toBeCloseTo(TRUTH.nonSpecific.rate, 6);
    expect(value('nonSpecific.exponent')).toBeCloseTo(TRUTH.nonSpecific.exponent, 4);
    expect(value('interaction:A|B')).toBeCloseTo(-0.003, 6);
    expect(value('interaction:A|C')).toBeCloseTo(0.001, 6);
    expect(fit.rss).toBeLessThan(1e-12);
  });

  it('with 5 % noise on ln S: truths inside the 99 % intervals, held-out ternary predicted within its interval', () => {
    const fit = fitToxicityModel(syntheticDesign(TRUTH, 0.05, 3), { level: 0.99 });
    expect(fit.converged).toBe(true);
    expect(fit.residualStandardDeviation).toBeGreaterThan(0.035);
    expect(fit.residualStandardDeviation).toBeLessThan(0.065);
    const truthOf = (name: string): number => {
      const [kind, rest] = name.split(':') as [string, string | undefined];
      if (kind === 'specific.rate') return TRUTH.specific[rest!]!.rate;
      if (kind === 'specific.exponent') return TRUTH.specific[rest!]!.exponent;
      if (kind === 'nonSpecific.rate') return TRUTH.nonSpecific.rate;
      if (kind === 'nonSpecific.exponent') return TRUTH.nonSpecific.exponent;
      return TRUTH.interactions.find((t) => t.cpas.join('|') === rest)!.coefficient;
    };
    for (const p of fit.parameters) {
      expect(p.status, p.name).toBe('estimated');
      expect(truthOf(p.name), p.name).toBeGreaterThanOrEqual(p.interval!.lower);
      expect(truthOf(p.name), p.name).toBeLessThanOrEqual(p.interval!.upper);
    }
    // The neutralization is found: A|B is negative and its interval excludes zero.
    const ab = fit.parameters.find((p) => p.name === 'interaction:A|B')!;
    expect(ab.interval!.upper).toBeLessThan(0);

    const truth = survivalFraction(TRUTH, HELD_OUT, 15);
    const prediction = predictSurvival(fit.model, HELD_OUT, 15, { level: 0.95 });
    expect(prediction.inDomain).toBe(true);
    expect(Math.abs(prediction.survival - truth)).toBeLessThan(0.02);
    expect(prediction.interval!.lower).toBeLessThanOrEqual(truth);
    expect(prediction.interval!.upper).toBeGreaterThanOrEqual(truth);
    expect(prediction.predictionInterval!.lower).toBeLessThan(prediction.interval!.lower);
  });

  it('is deterministic and the model survives a JSON round trip', () => {
    const data = syntheticDesign(TRUTH, 0.05, 3);
    const first = fitToxicityModel(data);
    expect(fitToxicityModel(data)).toEqual(first);
    const stored = JSON.parse(JSON.stringify(first.model)) as typeof first.model;
    expect(predictSurvival(stored, { A: 3, C: 1 }, 12)).toEqual(predictSurvival(first.model, { A: 3, C: 1 }, 12));
  });

  it('fits multi-step exposures (minutes per step varied, zero-minute steps allowed)', () => {
    const truth: ToxicityParameters = { specific: { gly: { rate: 0.002, exponent: 1.5 } }, nonSpecific: { rate: 0, exponent: 1 }, interactions: [] };
    const protocols = [[10, 0, 0], [0, 10, 0], [0, 0, 10], [5, 5, 5], [2, 8, 4], [8, 2, 6]].map((minutes) =>
      minutes.map((m, s) => ({ minutes: m, composition: { gly: [2, 5, 8][s]! } })),
    );
    const observations = protocols.map((steps) => ({ composition: { gly: 8 }, exposure: steps, survival: survivalFraction(truth, {}, steps) }));
    const fit = fitToxicityModel(observations);
    expect(fit.parameters.find((p) => p.name === 'specific.exponent:gly')!.value).toBeCloseTo(1.5, 6);
    expect(fit.parameters.find((p) => p.name === 'specific.rate:gly')!.value).toBeCloseTo(0.002, 8);
  });

  it('steps in a fixed ratio of durations cannot separate rate from exponent: reported as not determined', () => {
    const truth: ToxicityParameters = { specific: { gly: { rate: 0.002, exponent: 1.5 } }, nonSpecific: { rate: 0, exponent: 1 }, interactions: [] };
    const rng = seededRandom(4);
    const observations = [1, 2, 3, 4, 5, 6].map((k) => {
      const steps = [{ minutes: 2 * k, composition: { gly: 2 } }, { minutes: 3 * k, composition: { gly: 5 } }, { minutes: k, composition: { gly: 8 } }];
      return { composition: { gly: 8 }, exposure: steps, survival: survivalFraction(truth, {}, steps) * Math.exp(0.02 * gaussian(rng)) };
    });
    const fit = fitToxicityModel(observations);
    expect(fit.parameters.filter((p) => p.status === 'notDetermined').map((p) => p.name).sort()).toEqual(['specific.exponent:gly', 'specific.rate:gly']);
    // The protocol shape it saw is still predicted with an interval; a single 8 mol/kg exposure is not.
    expect(predictSurvival(fit.model, {}, [{ minutes: 4, composition: { gly: 2 } }, { minutes: 6, composition: { gly: 5 } }, { minutes: 2, composition: { gly: 8 } }]).interval).not.toBeNull();
    expect(predictSurvival(fit.model, { gly: 8 }, 5).interval).toBeNull();
  });

  it('delta-method intervals cover the held-out truth at about the nominal rate over 20 noisy data sets', () => {
    // Measured: 15 of 20 at nominal 90 % (25 of 30 over seeds 1–30); linearization under-covers a little
    // in this sloppy model. The bounds catch a gross error in the standard errors: half as large would
    // cover ~60 %, twice as large ~100 %.
    const truth = survivalFraction(TRUTH, HELD_OUT, 15);
    let covered = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const { interval } = predictSurvival(fitToxicityModel(syntheticDesign(TRUTH, 0.05, seed)).model, HELD_OUT, 15, { level: 0.9 });
      if (interval !== null && interval.lower <= truth && truth <= interval.upper) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(14);
    expect(covered).toBeLessThanOrEqual(19);
  });
});

describe('fitToxicityModel: terms the data cannot identify', () => {
  it('without mixtures: non-specific and interactions are fixed and reported; CPAs listed at 0 are left out', () => {
    const single = syntheticDesign(TRUTH, 0.02, 5).filter((o) => Object.keys(o.composition).length === 1);
    const withZero = [...single, { composition: { A: 2, D: 0 }, exposure: 10, survival: single[0]!.survival }];
    const fit = fitToxicityModel(withZero);
    const reported = new Map(fit.notIdentified.map((t) => [t.parameter, t.fixedAt]));
    expect(reported.get('specific.rate:D')).toBeNull();
    expect(reported.get('nonSpecific.rate')).toBe(0);
    expect(reported.get('interaction:A|B')).toBe(0);
    expect(reported.get('interaction:A|C')).toBe(0);
    expect(reported.get('interaction:B|C')).toBe(0);
    expect(fit.model.cpas).toEqual(['A', 'B', 'C']);
    expect(fit.parameters.filter((p) => p.status === 'notIdentified').map((p) => p.name).sort()).toEqual(
      ['interaction:A|B', 'interaction:A|C', 'interaction:B|C', 'nonSpecific.exponent', 'nonSpecific.rate'].sort(),
    );
    const mixture = predictSurvival(fit.model, { A: 2, B: 2 }, 10);
    expect(mixture.inDomain).toBe(false);
    expect(mixture.notes.join('\n')).toMatch(/A and B were never fitted together/);
    expect(mixture.notes.join('\n')).toMatch(/interaction:A\|B = 0/);
  });

  it('two CPAs only ever mixed 1:1 cannot be separated: parameters not determined, single-CPA predictions get no interval', () => {
    const rng = seededRandom(21);
    const observations: ToxicityObservation[] = [];
    for (const m of [1, 2, 3, 4, 5]) {
      for (const t of [5, 10, 20]) {
        const composition = { X: m, Y: m };
        const exact = survivalFraction({ specific: { X: { rate: 0.003, exponent: 1.5 }, Y: { rate: 0.002, exponent: 1.5 } }, nonSpecific: { rate: 0, exponent: 1 }, interactions: [] }, composition, t);
        observations.push({ composition, exposure: t, survival: exact * Math.exp(0.02 * gaussian(rng)) });
      }
    }
    const fit = fitToxicityModel(observations, { fixed: { 'nonSpecific.rate': 1e-6, 'nonSpecific.exponent': 1 } });
    expect(fit.parameters.some((p) => p.status === 'notDetermined')).toBe(true);
    expect(fit.model.uncertainty!.nullDirections.length).toBeGreaterThan(0);
    // The mixture they were seen in is still predicted with an interval; X alone is not.
    expect(predictSurvival(fit.model, { X: 3, Y: 3 }, 10).interval).not.toBeNull();
    const alone = predictSurvival(fit.model, { X: 3 }, 10);
    expect(alone.interval).toBeNull();
    expect(alone.notes.join(' ')).toMatch(/did not determine/);
  });
});

describe('fitToxicityModel: errors', () => {
  const ok = { composition: { gly: 4 }, exposure: 10, survival: 0.8 };

  it('too few observations for the free parameters', () => {
    const issues = issuesOf(() => fitToxicityModel([ok]));
    expect(issues[0]!.field).toBe('observations');
    expect(issues[0]!.message).toMatch(/at least 2/);
    expect(issuesOf(() => fitToxicityModel([]))[0]!.field).toBe('observations');
  });

  it('bad survival, weight, exposure and composition name their fields', () => {
    const issues = issuesOf(() =>
      fitToxicityModel([
        ok,
        { ...ok, survival: -0.1 },
        { ...ok, weight: 0 },
        { ...ok, exposure: -3 },
        { ...ok, composition: { gly: Number.NaN } },
        { ...ok, survival: Number.NaN },
      ]),
    );
    expect(issues.map((i) => i.field)).toEqual([
      'observations[1].survival',
      'observations[2].weight',
      'observations[3].exposure',
      'observations[4].composition.gly',
      'observations[5].survival',
    ]);
  });

  it('bad options name their fields', () => {
    const data = [ok, { ...ok, exposure: 20, survival: 0.6 }, { ...ok, exposure: 30, survival: 0.5 }];
    expect(issuesOf(() => fitToxicityModel(data, { fixed: { 'specific.rate:nope': 1 } }))[0]!.field).toBe('options.fixed.specific.rate:nope');
    expect(issuesOf(() => fitToxicityModel(data, { fixed: { 'specific.rate:gly': -1 } }))[0]!.field).toBe('options.fixed.specific.rate:gly');
    expect(issuesOf(() => fitToxicityModel(data, { level: 1.5 }))[0]!.field).toBe('options.level');
    expect(issuesOf(() => fitToxicityModel(data, { survivalFloor: 0 }))[0]!.field).toBe('options.survivalFloor');
  });

  it('floors zero survival and says which observations were floored', () => {
    const data = [ok, { ...ok, exposure: 20, survival: 0.6 }, { ...ok, exposure: 200, survival: 0 }];
    const fit = fitToxicityModel(data, { survivalFloor: 0.005 });
    expect(fit.flooredObservations).toEqual([2]);
  });

  it('hand-built models are validated and carry no interval', () => {
    expect(issuesOf(() => createToxicityModel({ ...TRUTH, interactions: [{ cpas: ['A', 'Z'], coefficient: 1 }] }))[0]!.field).toBe('parameters.interactions[0].cpas');
    const model = createToxicityModel(TRUTH);
    const prediction = predictSurvival(model, { A: 2, B: 1 }, 10);
    expect(prediction.survival).toBeCloseTo(survivalFraction(TRUTH, { A: 2, B: 1 }, 10), 14);
    expect(prediction.interval).toBeNull();
    expect(prediction.inDomain).toBe(false);
  });
});
