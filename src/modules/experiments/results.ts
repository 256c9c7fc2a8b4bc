/**
 * Measurements an experiment records, each with its unit and physically meaningful range. Pure: validates one
 * submitted result, converts it to the stored unit, and derives mean / SD / n from replicates, reporting every
 * problem with the field it belongs to so the API can answer 422 naming it.
 */
export interface MeasurementKind {
  label: string;
  /** Unit values are stored in. */
  unit: string;
  /** Accepted input units and how to convert each to the stored unit. */
  inputUnits: Record<string, (value: number) => number>;
  /** Inclusive range in the stored unit. */
  min: number;
  max: number;
  /** Method details that must accompany the value (e.g. the DSC convention for a Tg). */
  requires?: readonly string[];
  note: string;
}

const identity = (v: number) => v;
const celsiusToKelvin = (v: number) => v + 273.15;

// Ranges are physical or definitional limits, not expectations: anything outside is a typo or a unit mix-up.
export const MEASUREMENT_KINDS = {
  post_thaw_viability: {
    label: 'Post-thaw viability', unit: '%', inputUnits: { '%': identity, fraction: (v) => v * 100 }, min: 0, max: 100,
    note: 'Share of live cells among recovered cells (e.g. membrane-integrity stain).',
  },
  exposure_viability: {
    label: 'Viability after CPA exposure (no cooling)', unit: '%', inputUnits: { '%': identity, fraction: (v) => v * 100 }, min: 0, max: 150,
    note: 'Toxicity assay: viability after the loading protocol at its temperature, normalized to an untreated control; fits the kinetic toxicity model.',
  },
  recovery: {
    label: 'Recovery', unit: '%', inputUnits: { '%': identity, fraction: (v) => v * 100 }, min: 0, max: 200,
    note: 'Live cells after thaw relative to before freezing; counting error can put it somewhat above 100 %.',
  },
  glass_transition: {
    label: 'Glass transition temperature (Tg)', unit: 'K', inputUnits: { K: identity, '°C': celsiusToKelvin, C: celsiusToKelvin }, min: 1, max: 800,
    requires: ['dscConvention', 'heatingRateKPerMin'],
    note: 'DSC convention (onset, midpoint, inflection) changes the value by several kelvin, so it is required.',
  },
  glass_transition_prime: {
    label: "Tg′ of the maximally freeze-concentrated phase", unit: 'K', inputUnits: { K: identity, '°C': celsiusToKelvin, C: celsiusToKelvin }, min: 1, max: 800,
    requires: ['dscConvention', 'heatingRateKPerMin'],
    note: 'Depends on annealing; record the protocol in the experiment.',
  },
  ice_grain_size: {
    label: 'Ice recrystallization (% mean grain size vs control)', unit: '% MGS', inputUnits: { '% MGS': identity, '%': identity }, min: 0, max: 1000,
    note: 'Splat or sucrose-sandwich assay; < 50 % counts as active.',
  },
  osmotic_volume: {
    label: 'Relative cell volume (V/V0)', unit: 'V/V0', inputUnits: { 'V/V0': identity }, min: 0, max: 10,
    note: 'Osmotic volume excursion relative to isotonic volume.',
  },
} as const satisfies Record<string, MeasurementKind>;

export type MeasurementKey = keyof typeof MEASUREMENT_KINDS;
export const DSC_CONVENTIONS = ['onset', 'midpoint', 'inflection', 'endset'] as const;

export interface ResultInput {
  measurement: string;
  unit: string;
  replicates?: number[];
  mean?: number;
  sd?: number;
  n?: number;
  method?: string;
  dscConvention?: string;
  heatingRateKPerMin?: number;
}

export interface ValidatedResult {
  measurement: MeasurementKey;
  unit: string;
  replicates: number[];
  mean: number;
  /** Sample standard deviation (n − 1); null for a single value without a reported SD. */
  sd: number | null;
  n: number;
  method: string | null;
  dscConvention: string | null;
  heatingRateKPerMin: number | null;
}

export interface ResultError {
  field: string;
  message: string;
}

function isMeasurement(key: string): key is MeasurementKey {
  return Object.hasOwn(MEASUREMENT_KINDS, key);
}

export function sampleStandardDeviation(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return Math.sqrt(ss / (values.length - 1));
}

/** Validates one result; `path` prefixes field names (e.g. `results[2]`). */
export function validateResult(input: ResultInput, path: string): { result: ValidatedResult } | { errors: ResultError[] } {
  const errors: ResultError[] = [];
  const at = (field: string) => `${path}.${field}`;
  if (!isMeasurement(input.measurement)) {
    return { errors: [{ field: at('measurement'), message: `unknown measurement "${input.measurement}"; known: ${Object.keys(MEASUREMENT_KINDS).join(', ')}` }] };
  }
  const kind: MeasurementKind = MEASUREMENT_KINDS[input.measurement];
  const convert = kind.inputUnits[input.unit];
  if (!convert) {
    return { errors: [{ field: at('unit'), message: `${kind.label} is recorded in ${Object.keys(kind.inputUnits).join(', ')}, not "${input.unit}"` }] };
  }
  const inRange = (value: number, field: string) => {
    const stored = convert(value);
    if (!Number.isFinite(stored) || stored < kind.min || stored > kind.max) {
      errors.push({ field, message: `${kind.label} must be between ${kind.min} and ${kind.max} ${kind.unit} (got ${value} ${input.unit})` });
    }
    return stored;
  };

  let replicates: number[] = [];
  let mean: number;
  let sd: number | null;
  let n: number;
  if (input.replicates && input.replicates.length > 0) {
    replicates = input.replicates.map((v, i) => inRange(v, at(`replicates[${i}]`)));
    n = replicates.length;
    mean = replicates.reduce((a, b) => a + b, 0) / n;
    sd = sampleStandardDeviation(replicates);
    if (input.mean !== undefined && Math.abs(convert(input.mean) - mean) > 1e-9 * Math.max(1, Math.abs(mean))) {
      errors.push({ field: at('mean'), message: `the mean of the replicates is ${mean}, not ${input.mean}; omit mean to have it computed` });
    }
    if (input.n !== undefined && input.n !== n) errors.push({ field: at('n'), message: `${n} replicates were given, not ${input.n}` });
  } else if (input.mean !== undefined) {
    mean = inRange(input.mean, at('mean'));
    n = input.n ?? 1;
    if (!Number.isInteger(n) || n < 1) errors.push({ field: at('n'), message: 'n must be a whole number of at least 1' });
    // A spread is a difference, so it takes no unit offset (°C and K differences are equal); scale factors do apply.
    sd = input.sd === undefined ? null : convert(input.sd) - convert(0);
    if (sd !== null && (!Number.isFinite(sd) || sd < 0)) errors.push({ field: at('sd'), message: 'a standard deviation cannot be negative' });
  } else {
    return { errors: [{ field: at('replicates'), message: 'give the replicate values, or a mean (with sd and n if known)' }] };
  }

  for (const required of kind.requires ?? []) {
    const value = input[required as keyof ResultInput];
    if (value === undefined || value === null || value === '') {
      errors.push({ field: at(required), message: `${kind.label} needs ${required} (${kind.note})` });
    }
  }
  if (input.dscConvention !== undefined && !(DSC_CONVENTIONS as readonly string[]).includes(input.dscConvention)) {
    errors.push({ field: at('dscConvention'), message: `DSC convention must be one of ${DSC_CONVENTIONS.join(', ')}` });
  }
  if (input.heatingRateKPerMin !== undefined && !(input.heatingRateKPerMin > 0 && input.heatingRateKPerMin <= 1e6)) {
    errors.push({ field: at('heatingRateKPerMin'), message: 'the heating rate must be positive (K/min)' });
  }
  if (errors.length > 0) return { errors };
  return {
    result: {
      measurement: input.measurement,
      unit: kind.unit,
      replicates,
      mean,
      sd,
      n,
      method: input.method ?? null,
      dscConvention: input.dscConvention ?? null,
      heatingRateKPerMin: input.heatingRateKPerMin ?? null,
    },
  };
}
