// What each measurement is recorded in, mirroring MEASUREMENT_KINDS in src/modules/experiments/results.ts
// (the server is authoritative: it converts, range-checks and answers 422 at results[i].field), plus the
// live statistics the results table shows while replicates are typed.

export interface MeasurementOption {
  key: string;
  label: string;
  /** Units the server accepts for this measurement; the first is the stored unit. */
  units: readonly string[];
  /** A Tg depends on the DSC convention and heating rate, so the server requires both. */
  needsDsc: boolean;
}

export const MEASUREMENTS: readonly MeasurementOption[] = [
  { key: 'post_thaw_viability', label: 'Post-thaw viability', units: ['%', 'fraction'], needsDsc: false },
  { key: 'exposure_viability', label: 'Viability after CPA exposure (no cooling)', units: ['%', 'fraction'], needsDsc: false },
  { key: 'recovery', label: 'Recovery', units: ['%', 'fraction'], needsDsc: false },
  { key: 'glass_transition', label: 'Glass transition temperature (Tg)', units: ['K', '°C'], needsDsc: true },
  { key: 'glass_transition_prime', label: 'Tg′ (maximally freeze-concentrated)', units: ['K', '°C'], needsDsc: true },
  { key: 'ice_grain_size', label: 'Ice recrystallization (% MGS)', units: ['% MGS'], needsDsc: false },
  { key: 'osmotic_volume', label: 'Relative cell volume (V/V0)', units: ['V/V0'], needsDsc: false },
];

export const DSC_CONVENTIONS = ['onset', 'midpoint', 'inflection', 'endset'] as const;

export function measurementOption(key: string): MeasurementOption | undefined {
  return MEASUREMENTS.find((m) => m.key === key);
}

export function measurementLabel(key: string): string {
  return measurementOption(key)?.label ?? key;
}

export interface ParsedReplicates {
  values: number[];
  /** Pieces that are not numbers, as typed. */
  invalid: string[];
}

/** "78, 82,86" → [78, 82, 86]; spaces, semicolons and newlines also separate values. */
export function parseReplicates(text: string): ParsedReplicates {
  const values: number[] = [];
  const invalid: string[] = [];
  for (const piece of text.split(/[,;\s]+/)) {
    if (piece === '') continue;
    const value = Number(piece);
    if (Number.isFinite(value)) values.push(value);
    else invalid.push(piece);
  }
  return { values, invalid };
}

export interface ReplicateSummary {
  n: number;
  mean: number;
  /** Sample SD (n − 1), as the server computes it; null for fewer than two values. */
  sd: number | null;
}

export function summarize(values: readonly number[]): ReplicateSummary | null {
  if (values.length === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length < 2 ? null : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
  return { n: values.length, mean, sd };
}

/** Four significant figures, without trailing zeros. */
export function sig(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
