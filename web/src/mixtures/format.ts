// How formulation numbers, units and roles read on screen. Every page formats through these, so the
// builder, the detail page and the comparison show the same value as the same text.
import type { ComponentRole, ConcentrationUnit, SourceRef } from './mixture-api.ts';

export const UNIT_LABELS: Readonly<Record<ConcentrationUnit, string>> = {
  'mol/L': 'mol/L',
  'mmol/L': 'mmol/L',
  'mol/kg': 'mol/kg water (molal)',
  '%w/v': '% w/v',
  '%w/w': '% w/w',
  '%v/v': '% v/v',
  'mg/mL': 'mg/mL',
  'g/L': 'g/L',
  massFraction: 'mass fraction',
  moleFraction: 'mole fraction',
};

export const ROLE_LABELS: Readonly<Record<ComponentRole, string>> = {
  penetrating: 'penetrating',
  'non-penetrating': 'non-penetrating',
  ice_blocker: 'ice blocker',
  carrier: 'carrier',
  other: 'other',
};

export function unitLabel(unit: string): string {
  return (UNIT_LABELS as Record<string, string>)[unit] ?? unit;
}

export function roleLabel(role: string | null): string {
  if (!role) return 'not stated';
  return (ROLE_LABELS as Record<string, string>)[role] ?? role;
}

/** Four significant figures, trailing zeros dropped; '—' for a missing value. */
export function sig(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  return String(Number(value.toPrecision(digits)));
}

/** A fraction as a percentage with two decimals: 0.23235 → "23.23 %". */
export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${(value * 100).toFixed(2)} %`;
}

/** A fraction with four decimals, for mole fractions that are often small. */
export function fraction(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(4);
}

export function withUnit(value: number | null | undefined, unit: string, digits = 4): string {
  const text = sig(value, digits);
  return text === '—' ? text : `${text} ${unit}`;
}

export function kelvinAndCelsius(kelvin: number | null, celsius: number | null): string {
  if (kelvin === null || celsius === null) return 'not computable';
  return `${kelvin.toFixed(1)} K (${celsius.toFixed(1)} °C)`;
}

/** An amount as published: "3.1 mol/L", "18 % w/v", "0.4 mass fraction". */
export function amountText(amount: number, unit: string): string {
  return `${sig(amount, 6)} ${unitLabel(unit)}`;
}

export function doiUrl(doi: string): string {
  return `https://doi.org/${encodeURI(doi)}`;
}

export function citationText(source: SourceRef): string {
  return `${source.title}${source.year ? ` (${source.year})` : ''}`;
}

/** A request field named by the server, split into path segments: `components[1].amount` → ['components', 1, 'amount']. */
export function fieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  // Validators name fields as `components[1].amount`, `/components/1/amount` or `body.components[1].amount`.
  for (const part of field.split(/[/.[\]]/)) {
    if (part === '' || part === 'body') continue;
    out.push(/^\d+$/.test(part) ? Number(part) : part);
  }
  return out;
}

/** Which recipe line and which of its fields a server error names; null when it names no line. */
export function componentField(field: string): { index: number; name: string } | null {
  const path = fieldPath(field);
  if (path[0] !== 'components' || typeof path[1] !== 'number') return null;
  const name = path[2];
  return { index: path[1], name: typeof name === 'string' ? name : '' };
}
