// How model numbers read on screen: metric names, metric values and intervals, the same on every models page.
import type { Task } from './model-api.ts';

/** The metric labels of the model card (src/modules/models/card.ts), in the order it lists them. */
export const METRIC_LABELS: Readonly<Record<string, string>> = {
  mae: 'MAE',
  rmse: 'RMSE',
  r2: 'R²',
  spearman: 'Spearman ρ',
  pearson: 'Pearson r',
  rocAuc: 'ROC-AUC',
  prAuc: 'PR-AUC',
  accuracy: 'Accuracy',
  balancedAccuracy: 'Balanced accuracy',
  mcc: 'MCC',
  n: 'n',
};

/** Errors are better lower; everything else on the list is better higher (n is neither). */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['mae', 'rmse']);

/** The metric a version is summarized by: MAE for regression, ROC-AUC for classification. */
export function headlineMetric(task: Task): 'mae' | 'rocAuc' {
  return task === 'classification' ? 'rocAuc' : 'mae';
}

export function metricLabel(key: string): string {
  return METRIC_LABELS[key] ?? key;
}

export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Three significant figures (one decimal from 100 up), integers as they are, '—' for anything missing. */
export function num(value: unknown, digits = 3): string {
  if (!isNumber(value)) return '—';
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : String(Number(value.toPrecision(digits)));
}

/** A fraction as a whole-number percentage: 0.9 → "90 %". */
export function pct(value: unknown): string {
  return isNumber(value) ? `${Math.round(value * 100)} %` : '—';
}

/** "[lower, upper]" with one decimal, or '—'. */
export function intervalText(lower: number | null, upper: number | null, digits = 1): string {
  if (!isNumber(lower) || !isNumber(upper)) return '—';
  return `[${lower.toFixed(digits)}, ${upper.toFixed(digits)}]`;
}

/** Kelvin as degrees Celsius (ITS-90 offset 273.15 K). */
export function toCelsius(kelvin: number): number {
  return kelvin - 273.15;
}

export function shortHash(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}

export function dateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
