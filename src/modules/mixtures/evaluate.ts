/**
 * Evaluates a resolved recipe with the pure science core: composition in every unit, Gordon–Taylor Tg, Fahy's q_v
 * and ideal osmolality, each with the reference values and sources it used. No I/O: the caller resolves components
 * and hands in the reference data.
 */
import type { FieldError } from '../../app/problems.ts';
import { Problem } from '../../app/problems.ts';
import {
  CompositionError,
  DEFAULT_POLAR_GROUP_CONVENTION,
  POLAR_GROUPS_OF_COMMON_CPAS,
  UNIT_DEFINITIONS,
  foxMixture,
  gordonTaylorMixture,
  idealOsmolality,
  kelvinToCelsius,
  polarGroupCount,
  qvStar,
  solveComposition,
  type ComponentRole,
  type CompositionIssue,
  type CompositionResult,
  type ConcentrationUnit,
  type TgSolute,
} from '../../science/index.ts';
import { WATER_INCHIKEY, type ScienceReference } from './reference.ts';
import type { MixtureEvaluation } from './schemas.ts';

/** A request component after its identity was resolved to a molecule or a non-structural component. */
export interface ResolvedComponent {
  /** InChIKey for a molecule, the reference key for a non-structural component. */
  readonly key: string;
  readonly name: string;
  readonly inchikey: string | null;
  readonly moleculeId: string | null;
  readonly role: ComponentRole | null;
  readonly amount: number;
  readonly unit: ConcentrationUnit;
  readonly molarMass: number | null;
  readonly density: number | null;
  /** Source id of the density, when it came from the reference data. */
  readonly densitySource: string | null;
}

export interface MixtureInput {
  readonly components: readonly ResolvedComponent[];
  readonly solutionDensity?: number;
  /** The carrier (base solution) by display name; the solver treats it as water, and an assumption says so. */
  readonly carrier?: string;
}

const fieldOf = (index: number, name = 'amount'): string => `components[${index}].${name}`;

/** Which components' units need the missing quantity of `issue.component` (the ones whose amount cannot be read). */
function requesters(input: MixtureInput, issue: { component: string; missing: 'density' | 'molarMass' }): number[] {
  const out: number[] = [];
  input.components.forEach((c, i) => {
    const def = UNIT_DEFINITIONS[c.unit];
    const own = c.key === issue.component;
    const needs = issue.missing === 'molarMass'
      ? (own && def.numerator === 'moles') || def.denominator === 'totalMoles'
      : (own && def.numerator === 'pureVolume') || (def.denominator === 'solutionVolume' && input.solutionDensity === undefined);
    if (needs) out.push(i);
  });
  return out;
}

function missingMessage(input: MixtureInput, subject: string, missing: 'density' | 'molarMass', requester: number): string {
  const c = input.components[requester]!;
  const def = UNIT_DEFINITIONS[c.unit];
  const quantity = missing === 'density' ? 'density' : 'molar mass';
  const self = input.components[requester]!.key === subject;
  if (missing === 'density' && self && def.numerator === 'pureVolume') {
    return `density of ${c.name} is unknown: cannot convert ${c.unit} (it needs the pure-component density); give the amount in a mass-based unit`;
  }
  if (missing === 'density') {
    return `density of ${subject === 'water' ? 'water' : nameOf(input, subject)} is unknown: cannot convert ${c.unit} of ${c.name} without the solution volume; give solutionDensity`;
  }
  if (self) return `${quantity} of ${c.name} is unknown: cannot convert ${c.unit}; give the amount in a mass-based unit`;
  return `molar mass of ${nameOf(input, subject)} is unknown: cannot convert ${c.unit} of ${c.name} (it needs the total moles); give the amount in another unit`;
}

const nameOf = (input: MixtureInput, key: string): string => input.components.find((c) => c.key === key)?.name ?? key;

/** Turns the solver's typed issues into a 422 whose errors[] name components[i].<field> and what is missing. */
export function compositionProblem(error: CompositionError, input: MixtureInput): Problem {
  const errors: FieldError[] = [];
  const push = (field: string, message: string): void => {
    if (!errors.some((e) => e.field === field && e.message === message)) errors.push({ field, in: 'body', message });
  };
  const indexOf = (key: string | undefined): number => (key === undefined ? -1 : input.components.findIndex((c) => c.key === key));
  const allComponents = (message: string): void => input.components.forEach((_, i) => push(fieldOf(i), message));
  for (const issue of error.issues as readonly CompositionIssue[]) {
    if (issue.kind === 'missing') {
      for (const i of requesters(input, issue)) push(fieldOf(i), missingMessage(input, issue.component, issue.missing, i));
      continue;
    }
    const i = indexOf(issue.component);
    switch (issue.problem) {
      case 'exceedsTotal': {
        const names = input.components.map((c) => c.name).join(', ');
        allComponents(`the total of ${names} exceeds 100 % of the solution: no water would be left`);
        break;
      }
      case 'invalidProperty':
        push(i >= 0 ? fieldOf(i) : issue.component === undefined ? 'solutionDensity' : 'components', issue.message);
        break;
      case 'duplicateComponent':
        input.components.forEach((c, j) => {
          if (c.key === issue.component && j !== i) push(`components[${j}]`, `${c.name} is listed more than once`);
        });
        break;
      case 'unknownUnit':
        push(i >= 0 ? fieldOf(i, 'unit') : 'components', issue.message);
        break;
      default:
        if (i >= 0) push(fieldOf(i), issue.message.replaceAll(`"${issue.component}"`, input.components[i]!.name));
        else allComponents(issue.message);
    }
  }
  const detail = errors.length > 0 ? errors.map((e) => `${e.field}: ${e.message}`).join('; ') : error.message;
  return new Problem('unprocessable', `The recipe cannot be evaluated. ${detail}`, errors.length > 0 ? errors : [{ field: 'components', in: 'body', message: error.message }]);
}

function solve(input: MixtureInput, reference: ScienceReference): { result: CompositionResult; waterDensitySource: string | null } {
  const waterDensity = reference.property(WATER_INCHIKEY, 'density');
  try {
    const result = solveComposition({
      components: input.components.map((c) => ({
        key: c.key,
        amount: c.amount,
        unit: c.unit,
        ...(c.molarMass !== null ? { molarMass: c.molarMass } : {}),
        ...(c.density !== null ? { density: c.density } : {}),
      })),
      ...(input.solutionDensity !== undefined ? { solutionDensity: input.solutionDensity } : {}),
      ...(waterDensity ? { water: { density: waterDensity.value } } : {}),
    });
    return { result, waterDensitySource: waterDensity?.sourceId ?? null };
  } catch (error) {
    if (error instanceof CompositionError) throw compositionProblem(error, input);
    throw error;
  }
}

/** Gordon–Taylor parameters of one component: the cited (gt_tg, gt_k) pair, or what is known of Tg without a k. */
export function gordonTaylorParameters(c: Pick<ResolvedComponent, 'inchikey'>, reference: ScienceReference): { tg: number | null; k: number | null; kSource: string | null; tgSource: string | null } {
  if (c.inchikey === null) return { tg: null, k: null, kSource: null, tgSource: null };
  const k = reference.property(c.inchikey, 'gt_k');
  // k was fitted together with gt_tg, so the pair is used as one; a plain Tg is only reported, never paired with a guessed k.
  const tg = (k ? reference.property(c.inchikey, 'gt_tg') : null) ?? reference.property(c.inchikey, 'tg');
  return { tg: tg?.value ?? null, k: k?.value ?? null, kSource: k?.sourceId ?? null, tgSource: tg?.sourceId ?? null };
}

/**
 * Penetrating CPAs for q_v: an explicit role decides; without a role, a molecule counts when the science core
 * lists it among the common penetrating CPAs (POLAR_GROUPS_OF_COMMON_CPAS). Anything else is not penetrating.
 */
export function isPenetrating(c: ResolvedComponent): boolean {
  if (c.role !== null) return c.role === 'penetrating';
  return c.inchikey !== null && c.inchikey in POLAR_GROUPS_OF_COMMON_CPAS;
}

const sum = (values: readonly (number | null)[]): number | null =>
  values.some((v) => v === null) ? null : values.reduce<number>((a, v) => a + v!, 0);

export function evaluateMixture(input: MixtureInput, reference: ScienceReference): MixtureEvaluation {
  const { result, waterDensitySource } = solve(input, reference);
  const usedSources = new Set<string>();
  // The solver speaks in keys (InChIKeys); a reader wants names.
  const notes = result.notes.map((n) => input.components.reduce((text, c) => text.replaceAll(`"${c.key}"`, c.name).replaceAll(c.key, c.name), n));

  if (result.volumeModel === 'ideal-volume-additivity') {
    for (const c of input.components) if (c.densitySource) usedSources.add(c.densitySource);
    if (waterDensitySource) usedSources.add(waterDensitySource);
  } else {
    input.components.forEach((c) => {
      if (c.unit === '%v/v' && c.densitySource) usedSources.add(c.densitySource);
    });
  }

  // Glass transition (multicomponent Gordon–Taylor over mass fractions, water included).
  const waterTg = reference.property(WATER_INCHIKEY, 'tg');
  const params = input.components.map((c) => ({ c, ...gordonTaylorParameters(c, reference) }));
  const solutes: TgSolute[] = params.map((p, i) => ({ key: p.c.key, massFraction: result.components[i]!.massFraction, tg: p.tg, k: p.k }));
  const tg = gordonTaylorMixture({ water: { massFraction: result.water.massFraction, ...(waterTg ? { tg: waterTg.value } : {}) }, solutes });
  const parameters: MixtureEvaluation['glassTransition']['parameters'] = [
    { component: 'water', name: 'water', tg: waterTg?.value ?? null, k: null, sourceKey: waterTg?.sourceId ?? null, tgSourceKey: waterTg?.sourceId ?? null },
    ...params.map((p) => ({ component: p.c.key, name: p.c.name, tg: p.tg, k: p.k, sourceKey: p.kSource, tgSourceKey: p.tgSource })),
  ];
  if (tg.kelvin !== null) {
    if (waterTg) usedSources.add(waterTg.sourceId);
    params.forEach((p, i) => {
      if (result.components[i]!.massFraction === 0) return;
      if (p.kSource) usedSources.add(p.kSource);
      if (p.tgSource) usedSources.add(p.tgSource);
    });
  }
  const missing = tg.missing.map((m) => ({ component: m.component, name: nameOf(input, m.component), missing: [...m.missing] }));
  // Alternatives to Gordon–Taylor, from the same cited data. Fox needs only pure-component Tg; Couchman–Karasz
  // needs ΔCp at Tg, for which the reference data has no cited values yet, so it is reported, never guessed.
  const pureTg = input.components.map((c) => (c.inchikey ? reference.property(c.inchikey, 'tg') : null));
  const fox = foxMixture({
    water: { massFraction: result.water.massFraction, ...(waterTg ? { tg: waterTg.value } : {}) },
    solutes: input.components.map((c, i) => ({ key: c.key, massFraction: result.components[i]!.massFraction, tg: pureTg[i]?.value ?? null })),
  });
  if (fox.kelvin !== null) pureTg.forEach((row, i) => { if (row && result.components[i]!.massFraction > 0) usedSources.add(row.sourceId); });
  const alternatives = [
    {
      method: 'fox' as const,
      kelvin: fox.kelvin,
      missing: fox.missing.map((m) => ({ component: m.component, name: nameOf(input, m.component), missing: [...m.missing] })),
      note: 'Fox (1956) has no fitted parameter and over-predicts the Tg of aqueous solutions; shown for comparison only.',
    },
    {
      method: 'couchman-karasz' as const,
      kelvin: null,
      missing: [{ component: 'water', name: 'water', missing: ['deltaCp'] }, ...input.components.map((c) => ({ component: c.key, name: c.name, missing: ['deltaCp'] }))],
      note: 'Needs the heat-capacity step ΔCp at Tg of every component; no cited ΔCp values are in the reference data yet.',
    },
  ];
  if (tg.kelvin === null) {
    notes.push(`Tg is not given because no cited Gordon–Taylor parameters exist for ${missing.map((m) => `${m.name} (${m.missing.join(', ')})`).join('; ')}.`);
  }

  // q_v (Fahy): penetrating CPAs only.
  const penetrating = input.components.flatMap((c, i) => {
    if (!isPenetrating(c)) return [];
    const known = c.inchikey !== null ? POLAR_GROUPS_OF_COMMON_CPAS[c.inchikey] : undefined;
    return [{ key: c.key, name: c.name, molality: result.components[i]!.molality as number | null, polarGroups: known ? polarGroupCount(known.groups) : null }];
  });
  const qvNotes: string[] = [
    'q_v = n_water / Σ n_i·p_i over penetrating CPAs; it is q_v* only when the recipe is the minimum concentration that vitrifies.',
    'Penetrating: components with role "penetrating"; without a role, molecules the science core lists as common penetrating CPAs.',
  ];
  let qv: number | null = null;
  if (penetrating.length === 0) {
    qvNotes.push('q_v is not given: the recipe has no penetrating CPA.');
  } else {
    const out = qvStar(penetrating.map((p) => ({ key: p.key, molality: p.molality, polarGroups: p.polarGroups })));
    if (out.value !== null) qv = out.value;
    else {
      for (const m of out.missing) {
        const name = penetrating.find((p) => p.key === m.component)?.name ?? m.component;
        qvNotes.push(m.missing === 'polarGroups'
          ? `q_v is not given: the polar-group count of ${name} is not tabulated.`
          : `q_v is not given: the molality of ${name} is unknown.`);
      }
      if ('reason' in out && out.reason) qvNotes.push(`q_v is not given: ${out.reason}.`);
    }
  }

  // Ideal osmolality over every listed solute (non-electrolytes: i = 1).
  const osmo = idealOsmolality(input.components.map((c, i) => ({ key: c.name, molality: result.components[i]!.molality })));
  if (osmo.osmolality === null) notes.push(`Osmolality is not given because the molality of ${osmo.missing.join(', ')} is unknown; osmolalityKnownContribution is a lower bound.`);

  const assumptions = [
    ...result.assumptions,
    ...(input.carrier !== undefined
      ? [`The carrier (${input.carrier}) is treated as water: its own solutes are not part of the composition, osmolality or Tg.`]
      : []),
    `Glass transition: multicomponent Gordon–Taylor, Tg = Σ q_i·w_i·Tg_i / Σ q_i·w_i with q_water = 1 and q_i = 1/k_i (k multiplies the water term of each binary); water Tg ${waterTg?.value ?? 'default'} K; the first-listed reference value of each parameter is used; missing parameters are never guessed.`,
    'Multicomponent mixing rules deviate from measured cocktails; expect larger errors than for binaries. Tg is not Tg′.',
    `q_v polar-group convention ${DEFAULT_POLAR_GROUP_CONVENTION.id}${DEFAULT_POLAR_GROUP_CONVENTION.verified ? '' : ' (unverified against Fahy et al. 2004)'}.`,
    ...osmo.assumptions,
  ];

  const sources = [...usedSources].sort().map((id) => {
    const s = reference.source(id);
    return { key: id, title: s?.title ?? id, doi: s?.doi ?? null, year: s?.year ?? null };
  });

  return {
    components: input.components.map((c, i) => {
      const r = result.components[i]!;
      return {
        key: c.key, name: c.name, inchikey: c.inchikey, moleculeId: c.moleculeId, role: c.role, amount: c.amount, unit: c.unit,
        massFraction: r.massFraction, moleFraction: r.moleFraction, molarity: r.molarity, molality: r.molality,
      };
    }),
    water: { massFraction: result.water.massFraction, moleFraction: result.water.moleFraction },
    volumeModel: result.volumeModel,
    solutionDensity: result.solutionDensity,
    glassTransition: {
      kelvin: tg.kelvin,
      celsius: tg.kelvin === null ? null : kelvinToCelsius(tg.kelvin),
      method: 'gordon-taylor',
      missing,
      parameters,
      alternatives,
    },
    qvStar: qv,
    qvStarDetail: {
      convention: DEFAULT_POLAR_GROUP_CONVENTION.id,
      conventionVerified: DEFAULT_POLAR_GROUP_CONVENTION.verified,
      description: DEFAULT_POLAR_GROUP_CONVENTION.description,
      penetrating: penetrating.map((p) => ({ component: p.key, molality: p.molality, polarGroups: p.polarGroups })),
      notes: qvNotes,
    },
    osmolality: osmo.osmolality,
    osmolalityKnownContribution: osmo.knownContribution,
    totalMolarity: sum(result.components.map((r) => r.molarity)),
    totalMolality: sum(result.components.map((r) => r.molality)),
    assumptions,
    notes,
    sources,
  };
}
