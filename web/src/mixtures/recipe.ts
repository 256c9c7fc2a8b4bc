// The builder's editable recipe and its translation to API requests. Server errors name lines by
// their position in the request (`components[2].amount`), so the translation keeps that mapping.
import type { ProblemFieldError } from '../api.ts';
import {
  isComponentRole,
  isConcentrationUnit,
  type ComponentInput,
  type ComponentRole,
  type ConcentrationUnit,
  type EvaluateRequest,
  type MixtureDetail,
  type MixtureInput,
} from './mixture-api.ts';
import { componentField, fieldPath } from './format.ts';

export type Substance =
  | { kind: 'molecule'; key: string; inchikey: string; moleculeId: string | null; name: string }
  | { kind: 'component'; key: string; componentId: string; name: string; componentKind?: string };

export interface RecipeLine {
  uid: number;
  substance: Substance;
  /** As typed, so half-typed numbers such as "3." survive re-renders. */
  amount: string;
  unit: ConcentrationUnit;
  role: ComponentRole | '';
}

export interface RecipeDraft {
  name: string;
  description: string;
  carrier: string;
  /** g/mL as typed; empty means "use ideal volume additivity". */
  solutionDensity: string;
  /** Where a new formulation is saved: a project id, '' for public, or null while the page's default applies. */
  projectId: string | null;
  lines: RecipeLine[];
}

export const EMPTY_DRAFT: RecipeDraft = { name: '', description: '', carrier: '', solutionDensity: '', projectId: null, lines: [] };

let nextUid = 1;
export function newLineId(): number {
  return nextUid++;
}

/** A number as typed by a person: accepts a decimal comma; null when it is not one number. */
export function parseAmount(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** Sensible starting unit and role for a newly added substance. */
export function newLine(substance: Substance): RecipeLine {
  if (substance.kind === 'molecule') return { uid: newLineId(), substance, amount: '', unit: 'mol/L', role: 'penetrating' };
  const role: ComponentRole =
    substance.componentKind === 'carrier' ? 'carrier' : substance.componentKind === 'ice_blocker' ? 'ice_blocker' : 'non-penetrating';
  return { uid: newLineId(), substance, amount: '', unit: '%w/v', role };
}

function componentInput(line: RecipeLine, amount: number): ComponentInput {
  const s = line.substance;
  const id: Pick<ComponentInput, 'inchikey' | 'moleculeId' | 'componentId'> =
    s.kind === 'component' ? { componentId: s.componentId } : s.moleculeId ? { moleculeId: s.moleculeId } : { inchikey: s.inchikey };
  return { ...id, amount, unit: line.unit, ...(line.role ? { role: line.role } : {}) };
}

export interface RecipeRequest {
  body: EvaluateRequest;
  /** uid of the recipe line behind each entry of body.components. */
  lineOf: number[];
  /** Lines left out because their amount is not a number, with the reason. */
  incomplete: Map<number, string>;
  densityError: string | null;
}

export function toEvaluateRequest(draft: RecipeDraft): RecipeRequest {
  const components: ComponentInput[] = [];
  const lineOf: number[] = [];
  const incomplete = new Map<number, string>();
  for (const line of draft.lines) {
    const amount = parseAmount(line.amount);
    if (amount === null) {
      incomplete.set(line.uid, line.amount.trim() === '' ? 'Enter an amount.' : 'Enter one number, e.g. 3.1.');
      continue;
    }
    components.push(componentInput(line, amount));
    lineOf.push(line.uid);
  }
  let densityError: string | null = null;
  let solutionDensity: number | undefined;
  if (draft.solutionDensity.trim() !== '') {
    const density = parseAmount(draft.solutionDensity);
    if (density === null) densityError = 'Enter the density as one number in g/mL, or leave it empty.';
    else solutionDensity = density;
  }
  const carrier = draft.carrier.trim();
  const body: EvaluateRequest = {
    components,
    balance: 'water',
    ...(solutionDensity !== undefined ? { solutionDensity } : {}),
    ...(carrier ? { carrier } : {}),
  };
  return { body, lineOf, incomplete, densityError };
}

/** `projectId`: the project to create the formulation in, or '' for public; ignored by updates (a mixture never moves). */
export function toMixtureInput(draft: RecipeDraft, request: RecipeRequest, projectId = ''): MixtureInput {
  const description = draft.description.trim();
  const carrier = draft.carrier.trim();
  // Explicit nulls: an update replaces every field, so a cleared field must say so.
  return {
    name: draft.name.trim(),
    ...(projectId ? { projectId } : {}),
    description: description || null,
    carrier: carrier || null,
    solutionDensity: request.body.solutionDensity ?? null,
    components: request.body.components,
  };
}

/** The editable form of a saved mixture, for editing it or starting a copy. */
export function draftFromDetail(detail: MixtureDetail, name: string): RecipeDraft {
  const lines = [...detail.components]
    .sort((a, b) => a.position - b.position)
    .map((c): RecipeLine => {
      const substance: Substance =
        c.componentId !== null
          ? { kind: 'component', key: c.componentId, componentId: c.componentId, name: c.name }
          : { kind: 'molecule', key: c.inchikey ?? c.moleculeId ?? c.name, inchikey: c.inchikey ?? '', moleculeId: c.moleculeId, name: c.name };
      return {
        uid: newLineId(),
        substance,
        amount: String(c.amount),
        unit: isConcentrationUnit(c.unit) ? c.unit : 'mol/L',
        role: c.role && isComponentRole(c.role) ? c.role : '',
      };
    });
  return {
    name,
    description: detail.description ?? '',
    carrier: detail.carrier ?? '',
    solutionDensity: detail.solutionDensity === null ? '' : String(detail.solutionDensity),
    projectId: detail.projectId ?? '',
    lines,
  };
}

export interface SortedErrors {
  /** Messages per recipe line uid, per field ('amount', 'unit', 'role', or '' for the line as a whole). */
  byLine: Map<number, Map<string, string[]>>;
  /** Messages per top-level field: name, solutionDensity, carrier, description. */
  byField: Map<string, string[]>;
  /** What names no field we show. */
  other: string[];
}

const TOP_FIELDS = ['name', 'description', 'carrier', 'solutionDensity', 'projectId'];

/** Put each server error next to the field it names. */
export function sortErrors(errors: readonly ProblemFieldError[], lineOf: readonly number[]): SortedErrors {
  const sorted: SortedErrors = { byLine: new Map(), byField: new Map(), other: [] };
  for (const error of errors) {
    const target = componentField(error.field);
    const uid = target ? lineOf[target.index] : undefined;
    if (target && uid !== undefined) {
      const fields = sorted.byLine.get(uid) ?? new Map<string, string[]>();
      // Identifier errors (inchikey, moleculeId, componentId) concern the line as a whole.
      const field = ['amount', 'unit', 'role'].includes(target.name) ? target.name : '';
      fields.set(field, [...(fields.get(field) ?? []), error.message]);
      sorted.byLine.set(uid, fields);
      continue;
    }
    const top = fieldPath(error.field)[0];
    if (typeof top === 'string' && TOP_FIELDS.includes(top)) {
      sorted.byField.set(top, [...(sorted.byField.get(top) ?? []), error.message]);
    } else {
      sorted.other.push(error.field ? `${error.field}: ${error.message}` : error.message);
    }
  }
  return sorted;
}

/** Both answers' errors, e.g. a live evaluation's and a failed save's. */
export function mergeErrors(a: SortedErrors, b: SortedErrors): SortedErrors {
  const byLine = new Map(a.byLine);
  for (const [uid, fields] of b.byLine) {
    const merged = new Map(byLine.get(uid) ?? []);
    for (const [field, messages] of fields) {
      const seen = merged.get(field) ?? [];
      merged.set(field, [...seen, ...messages.filter((m) => !seen.includes(m))]);
    }
    byLine.set(uid, merged);
  }
  const byField = new Map(a.byField);
  for (const [field, messages] of b.byField) {
    const seen = byField.get(field) ?? [];
    byField.set(field, [...seen, ...messages.filter((m) => !seen.includes(m))]);
  }
  return { byLine, byField, other: [...a.other, ...b.other.filter((m) => !a.other.includes(m))] };
}
