/**
 * Turning descriptor records into model matrices: a fixed, ordered feature list; median imputation and
 * standardization learned on training rows only and saved with the model; and mixture features computed
 * from a formulation's composition.
 */

/** Descriptor values by name; null, undefined and non-finite values count as missing. */
export type DescriptorRecord = Record<string, number | null | undefined>;

export interface FeaturePipelineState {
  names: string[];
  medians: number[];
  means: number[];
  scales: number[];
  standardize: boolean;
  /** How many training rows lacked each feature (for the model card). */
  missingCounts: number[];
}

function value(rec: DescriptorRecord, name: string): number {
  const v = rec[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
}

function medianOf(v: number[]): number {
  if (v.length === 0) return NaN;
  const s = v.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export class FeaturePipeline {
  private constructor(readonly state: FeaturePipelineState) {}

  get names(): string[] {
    return this.state.names;
  }

  /**
   * Learn medians (for imputation) and, if `standardize` (default true), z-score statistics from training
   * records. A feature missing in every training row is imputed as 0.
   */
  static fit(records: readonly DescriptorRecord[], names: readonly string[], options: { standardize?: boolean } = {}): FeaturePipeline {
    if (records.length === 0) throw new Error('FeaturePipeline.fit: no training records');
    if (new Set(names).size !== names.length) throw new Error('FeaturePipeline.fit: duplicate feature names');
    const standardize = options.standardize ?? true;
    const medians: number[] = [];
    const means: number[] = [];
    const scales: number[] = [];
    const missingCounts: number[] = [];
    for (const name of names) {
      const present = records.map((r) => value(r, name)).filter((v) => !Number.isNaN(v));
      const med = present.length > 0 ? medianOf(present) : 0;
      medians.push(med);
      missingCounts.push(records.length - present.length);
      const col = records.map((r) => {
        const v = value(r, name);
        return Number.isNaN(v) ? med : v;
      });
      const m = col.reduce((s, v) => s + v, 0) / col.length;
      const sd = Math.sqrt(col.reduce((s, v) => s + (v - m) * (v - m), 0) / col.length);
      means.push(standardize ? m : 0);
      scales.push(standardize && sd > 1e-12 * Math.max(1, Math.abs(m)) ? sd : 1);
    }
    return new FeaturePipeline({ names: names.slice(), medians, means, scales, standardize, missingCounts });
  }

  /** Rows in `names` order: missing values → training median, then standardized if configured. */
  transform(records: readonly DescriptorRecord[]): number[][] {
    const { names, medians, means, scales } = this.state;
    return records.map((r) =>
      names.map((name, j) => {
        const v = value(r, name);
        return ((Number.isNaN(v) ? (medians[j] as number) : v) - (means[j] as number)) / (scales[j] as number);
      }),
    );
  }

  toJSON(): FeaturePipelineState {
    return structuredClone(this.state);
  }

  static fromJSON(state: FeaturePipelineState): FeaturePipeline {
    const n = state.names.length;
    if ([state.medians, state.means, state.scales, state.missingCounts].some((a) => a.length !== n)) {
      throw new Error('FeaturePipeline.fromJSON: arrays do not match the feature list');
    }
    return new FeaturePipeline(structuredClone(state));
  }
}

export interface MixtureComponent {
  /** Stable identifier (e.g. InChIKey or component name), used for `fractionIds` columns. */
  id: string;
  /** Amount on the chosen basis (mass or moles, any unit); normalized to fractions. */
  amount: number;
  /** g/mol. */
  molarMass: number;
  descriptors: DescriptorRecord;
  /** Polar groups per molecule (e.g. OH + NH + C=O counts); required for solutes in polar-group density. */
  polarGroups?: number;
  /** Marks the solvent water, which is excluded from solute counts and solute-weighted averages. */
  isWater?: boolean;
}

export interface MixtureFeatureOptions {
  /** Whether `amount` is a mass or a molar amount. */
  basis: 'mass' | 'mole';
  /** Descriptors to average over components. */
  descriptorNames: readonly string[];
  /** Emit `massfrac_<id>` for each of these component ids (0 when absent). */
  fractionIds?: readonly string[];
}

/**
 * Composition features of one formulation:
 * - `component_count`: solutes with a positive amount;
 * - `water_mass_fraction`, `water_mole_fraction`, `solute_mass_fraction`;
 * - per descriptor d: `massw_<d>` and `molew_<d>` (mass- and mole-fraction-weighted means over all components)
 *   and `solute_massw_<d>` (mass-weighted over solutes only); NaN when a contributing component lacks d, so
 *   the FeaturePipeline imputes it;
 * - `polar_group_density`: mol of solute polar groups per kg of solution, Σ w_i · n_i / M_i × 1000;
 * - `massfrac_<id>` for requested component ids.
 */
export function mixtureFeatures(components: readonly MixtureComponent[], options: MixtureFeatureOptions): Record<string, number> {
  if (components.length === 0) throw new Error('mixtureFeatures: no components');
  for (const c of components) {
    if (!(c.amount >= 0)) throw new Error(`mixtureFeatures: ${c.id} has a negative or missing amount`);
    if (!(c.molarMass > 0)) throw new Error(`mixtureFeatures: ${c.id} needs a positive molar mass`);
  }
  const total = components.reduce((s, c) => s + c.amount, 0);
  if (!(total > 0)) throw new Error('mixtureFeatures: amounts sum to zero');
  const raw = components.map((c) => c.amount / total);
  let massFrac: number[];
  let moleFrac: number[];
  if (options.basis === 'mass') {
    massFrac = raw;
    const moles = components.map((c, i) => (raw[i] as number) / c.molarMass);
    const sum = moles.reduce((s, v) => s + v, 0);
    moleFrac = moles.map((v) => v / sum);
  } else {
    moleFrac = raw;
    const masses = components.map((c, i) => (raw[i] as number) * c.molarMass);
    const sum = masses.reduce((s, v) => s + v, 0);
    massFrac = masses.map((v) => v / sum);
  }

  const out: Record<string, number> = {};
  const solutes = components.map((c, i) => ({ c, i })).filter(({ c }) => !c.isWater);
  out.component_count = solutes.filter(({ c }) => c.amount > 0).length;
  const waterMass = components.reduce((s, c, i) => s + (c.isWater ? (massFrac[i] as number) : 0), 0);
  out.water_mass_fraction = waterMass;
  out.water_mole_fraction = components.reduce((s, c, i) => s + (c.isWater ? (moleFrac[i] as number) : 0), 0);
  out.solute_mass_fraction = 1 - waterMass;

  const weighted = (weights: readonly number[], members: readonly number[], d: string): number => {
    let num = 0;
    let den = 0;
    for (const i of members) {
      const w = weights[i] as number;
      if (w === 0) continue;
      const v = value((components[i] as MixtureComponent).descriptors, d);
      if (Number.isNaN(v)) return NaN;
      num += w * v;
      den += w;
    }
    return den > 0 ? num / den : NaN;
  };
  const all = components.map((_, i) => i);
  const soluteIdx = solutes.map(({ i }) => i);
  for (const d of options.descriptorNames) {
    out[`massw_${d}`] = weighted(massFrac, all, d);
    out[`molew_${d}`] = weighted(moleFrac, all, d);
    out[`solute_massw_${d}`] = weighted(massFrac, soluteIdx, d);
  }

  let polar = 0;
  for (const { c, i } of solutes) {
    if ((massFrac[i] as number) === 0) continue;
    if (c.polarGroups === undefined || !Number.isFinite(c.polarGroups)) {
      polar = NaN;
      break;
    }
    polar += ((massFrac[i] as number) * c.polarGroups) / c.molarMass;
  }
  out.polar_group_density = polar * 1000;

  for (const id of options.fractionIds ?? []) {
    out[`massfrac_${id}`] = components.reduce((s, c, i) => s + (c.id === id ? (massFrac[i] as number) : 0), 0);
  }
  return out;
}
