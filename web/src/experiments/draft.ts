// The record/edit form's state: everything as typed (strings), converted to the API body on save.
// Numbers that do not parse are reported at the same dotted path the server would use, so one lookup
// (errorsAt) serves both the browser's and the server's complaints.
import type { Experiment, ExperimentInput, ProtocolStep, ResultInput, SampleKind } from './experiment-api.ts';
import { measurementOption, parseReplicates } from './measurements.ts';

export interface StepDraft {
  key: number;
  /** A step's strength is an amount in a unit, or a fraction of the final formulation. */
  by: 'amount' | 'fraction';
  amount: string;
  unit: string;
  fraction: string;
  durationMin: string;
  temperatureC: string;
}

export interface ResultDraft {
  key: number;
  measurement: string;
  unit: string;
  replicates: string;
  mean: string;
  sd: string;
  n: string;
  method: string;
  dscConvention: string;
  heatingRate: string;
}

export interface ExperimentDraft {
  projectId: string;
  mixtureId: string;
  title: string;
  sampleName: string;
  sampleKind: SampleKind;
  species: string;
  loading: StepDraft[];
  removal: StepDraft[];
  coolingRate: string;
  warmingRate: string;
  storageTemperature: string;
  storageDays: string;
  performedOn: string;
  operator: string;
  equipment: string;
  notes: string;
  results: ResultDraft[];
}

let nextKey = 1;
const key = () => nextKey++;

export function emptyStep(): StepDraft {
  return { key: key(), by: 'amount', amount: '', unit: '%v/v', fraction: '', durationMin: '', temperatureC: '' };
}

export function emptyResult(): ResultDraft {
  return { key: key(), measurement: 'post_thaw_viability', unit: '%', replicates: '', mean: '', sd: '', n: '', method: '', dscConvention: '', heatingRate: '' };
}

export function emptyDraft(projectId = ''): ExperimentDraft {
  return {
    projectId, mixtureId: '', title: '', sampleName: '', sampleKind: 'cell', species: '',
    loading: [emptyStep()], removal: [], coolingRate: '', warmingRate: '', storageTemperature: '', storageDays: '',
    performedOn: new Date().toISOString().slice(0, 10), operator: '', equipment: '', notes: '', results: [emptyResult()],
  };
}

const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

function stepFrom(step: Partial<ProtocolStep>): StepDraft {
  const byFraction = step.fractionOfFinal !== undefined && step.amount === undefined;
  return {
    key: key(), by: byFraction ? 'fraction' : 'amount', amount: text(step.amount), unit: step.unit ?? '%v/v',
    fraction: text(step.fractionOfFinal), durationMin: text(step.durationMin), temperatureC: text(step.temperatureC),
  };
}

/** A stored experiment as an editable draft (values in their stored units). */
export function draftFrom(e: Experiment): ExperimentDraft {
  const p = e.protocol ?? {};
  const kind = e.sampleType.kind as SampleKind;
  return {
    projectId: e.projectId, mixtureId: e.mixtureId, title: e.title, sampleName: e.sampleType.name, sampleKind: kind,
    species: e.sampleType.species ?? '', loading: (p.loading ?? []).map(stepFrom), removal: (p.removal ?? []).map(stepFrom),
    coolingRate: text(p.coolingRateKPerMin), warmingRate: text(p.warmingRateKPerMin), storageTemperature: text(p.storageTemperatureC),
    storageDays: text(p.storageDurationDays), performedOn: e.performedOn ?? '', operator: e.operator ?? '', equipment: e.equipment ?? '',
    notes: e.notes ?? '',
    results: e.results.map((r) => ({
      key: key(), measurement: r.measurement, unit: r.unit,
      replicates: r.replicates.join(', '),
      mean: r.replicates.length > 0 ? '' : String(r.mean), sd: r.replicates.length > 0 || r.sd === null ? '' : String(r.sd),
      n: r.replicates.length > 0 ? '' : String(r.n), method: r.method ?? '', dscConvention: r.dscConvention ?? '',
      heatingRate: text(r.heatingRateKPerMin),
    })),
  };
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Errors at `path` or inside it (`results[0].replicates` also covers `results[0].replicates[2]`). */
export function errorsAt(errors: readonly FieldProblem[], path: string): string[] {
  return errors
    .filter((e) => e.field === path || e.field.startsWith(`${path}[`) || e.field.startsWith(`${path}.`))
    .map((e) => e.message);
}

/** Converts the draft to the API body, or lists what the browser can already tell is not a number. */
export function toInput(draft: ExperimentDraft): { input: ExperimentInput } | { errors: FieldProblem[] } {
  const errors: FieldProblem[] = [];
  const num = (value: string, field: string): number | undefined => {
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    const n = Number(trimmed);
    if (!Number.isFinite(n)) {
      errors.push({ field, message: `"${trimmed}" is not a number` });
      return undefined;
    }
    return n;
  };
  const steps = (list: StepDraft[], at: string): ProtocolStep[] =>
    list.map((s, i) => {
      const p = `protocol.${at}[${i}]`;
      const durationMin = num(s.durationMin, `${p}.durationMin`);
      const temperatureC = num(s.temperatureC, `${p}.temperatureC`);
      if (durationMin === undefined && s.durationMin.trim() === '') errors.push({ field: `${p}.durationMin`, message: 'give the duration in minutes' });
      if (temperatureC === undefined && s.temperatureC.trim() === '') errors.push({ field: `${p}.temperatureC`, message: 'give the temperature in °C' });
      const step: ProtocolStep = { durationMin: durationMin ?? 0, temperatureC: temperatureC ?? 0 };
      if (s.by === 'fraction') {
        const fraction = num(s.fraction, `${p}.fractionOfFinal`);
        if (fraction !== undefined) step.fractionOfFinal = fraction;
      } else {
        const amount = num(s.amount, `${p}.amount`);
        if (amount !== undefined) {
          step.amount = amount;
          step.unit = s.unit.trim();
        }
      }
      return step;
    });
  const results: ResultInput[] = draft.results.map((r, i) => {
    const p = `results[${i}]`;
    const parsed = parseReplicates(r.replicates);
    if (parsed.invalid.length > 0) errors.push({ field: `${p}.replicates`, message: `not numbers: ${parsed.invalid.join(', ')}` });
    const out: ResultInput = { measurement: r.measurement, unit: r.unit };
    if (parsed.values.length > 0) out.replicates = parsed.values;
    else {
      const mean = num(r.mean, `${p}.mean`);
      const sd = num(r.sd, `${p}.sd`);
      const n = num(r.n, `${p}.n`);
      if (mean !== undefined) out.mean = mean;
      if (sd !== undefined) out.sd = sd;
      if (n !== undefined) out.n = n;
    }
    if (r.method.trim()) out.method = r.method.trim();
    if (measurementOption(r.measurement)?.needsDsc) {
      if (r.dscConvention) out.dscConvention = r.dscConvention;
      const rate = num(r.heatingRate, `${p}.heatingRateKPerMin`);
      if (rate !== undefined) out.heatingRateKPerMin = rate;
    }
    return out;
  });
  const protocol: ExperimentInput['protocol'] = { loading: steps(draft.loading, 'loading'), removal: steps(draft.removal, 'removal') };
  const cooling = num(draft.coolingRate, 'protocol.coolingRateKPerMin');
  const warming = num(draft.warmingRate, 'protocol.warmingRateKPerMin');
  const storageT = num(draft.storageTemperature, 'protocol.storageTemperatureC');
  const storageD = num(draft.storageDays, 'protocol.storageDurationDays');
  if (cooling !== undefined) protocol.coolingRateKPerMin = cooling;
  if (warming !== undefined) protocol.warmingRateKPerMin = warming;
  if (storageT !== undefined) protocol.storageTemperatureC = storageT;
  if (storageD !== undefined) protocol.storageDurationDays = storageD;
  if (errors.length > 0) return { errors };
  const species = draft.species.trim();
  const input: ExperimentInput = {
    projectId: draft.projectId, mixtureId: draft.mixtureId, title: draft.title.trim(),
    sample: { name: draft.sampleName.trim(), kind: draft.sampleKind, ...(species ? { species } : {}) },
    protocol, results,
  };
  if (draft.performedOn) input.performedOn = draft.performedOn;
  if (draft.operator.trim()) input.operator = draft.operator.trim();
  if (draft.equipment.trim()) input.equipment = draft.equipment.trim();
  if (draft.notes.trim()) input.notes = draft.notes.trim();
  return { input };
}
