// The charts of a model version, drawn with Observable Plot from the stored out-of-fold evaluation. Each chart
// has a text label for screen readers that states what it shows; the numbers are also in the tables beside it.
import { useCallback, type ReactNode } from 'react';
import * as Plot from '@observablehq/plot';
import { PlotFigure } from '../mixtures/PlotFigure.tsx';
import type { CalibrationPoint, Importance, LearningPoint, OutOfFoldPoint } from './evaluation.ts';
import { metricLabel, num, pct } from './format.ts';

const INK = '#0b4f6c';
const ACCENT = '#b3261e';
const INTERVAL = '#9db7c7';
const WIDTH = 520;

/** A point is out of domain when its nearest-neighbour similarity falls below the model's threshold. */
export function outOfDomain(p: OutOfFoldPoint, threshold: number | null): boolean {
  return threshold !== null && p.domainScore !== null && p.domainScore < threshold;
}

function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [0, 1];
  const pad = (hi - lo) * 0.04 || 1;
  return [lo - pad, hi + pad];
}

function ChartFrame({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <figure className="model-chart">
      <figcaption>
        <strong>{title}</strong>
        {hint ? <span className="hint"> · {hint}</span> : null}
      </figcaption>
      {children}
    </figure>
  );
}

interface ScatterProps {
  points: OutOfFoldPoint[];
  domainThreshold: number | null;
  unit: string;
  testId: string;
  title?: string;
}

/** Predicted vs measured with each row's interval as a vertical bar, and the y = x line. */
export function ScatterChart({ points, domainThreshold, unit, testId, title = 'Predicted vs measured (out-of-fold)' }: ScatterProps) {
  const build = useCallback(() => {
    const domain = extent(points.flatMap((p) => [p.measured, p.predicted, p.lower ?? NaN, p.upper ?? NaN]));
    const withInterval = points.filter((p) => p.lower !== null && p.upper !== null);
    const label = (p: OutOfFoldPoint) =>
      `row ${p.index + 1}: measured ${num(p.measured)}, predicted ${num(p.predicted)}` +
      (p.lower !== null && p.upper !== null ? ` [${num(p.lower)}, ${num(p.upper)}]` : '') +
      (outOfDomain(p, domainThreshold) ? ' — outside the applicability domain' : '');
    return Plot.plot({
      width: WIDTH,
      aspectRatio: 1,
      marginLeft: 52,
      marginBottom: 42,
      x: { domain, label: `Measured${unit ? ` (${unit})` : ''} →`, labelAnchor: 'center', labelOffset: 36, grid: true },
      y: { domain, label: `↑ Predicted${unit ? ` (${unit})` : ''}`, grid: true },
      color: { domain: ['in domain', 'out of domain'], range: [INK, ACCENT], legend: domainThreshold !== null },
      marks: [
        Plot.ruleX(withInterval, { x: 'measured', y1: 'lower', y2: 'upper', stroke: INTERVAL, strokeOpacity: 0.7 }),
        Plot.line([[domain[0], domain[0]], [domain[1], domain[1]]], { stroke: '#4f5d6b', strokeDasharray: '5 4' }),
        Plot.dot(points, {
          x: 'measured',
          y: 'predicted',
          r: 3,
          fill: (p: OutOfFoldPoint) => (outOfDomain(p, domainThreshold) ? 'out of domain' : 'in domain'),
          fillOpacity: 0.85,
          title: label,
          className: 'oof-point',
        }),
      ],
    });
  }, [points, domainThreshold, unit]);
  const inside = points.filter((p) => p.lower !== null && p.upper !== null && p.measured >= p.lower && p.measured <= p.upper).length;
  const description =
    `Scatter of ${points.length} out-of-fold predictions against measured values with interval bars and the identity line; ` +
    `${inside} of ${points.length} measured values lie inside their interval.`;
  return (
    <ChartFrame title={title} hint="bars: prediction intervals; dashed: y = x">
      <PlotFigure build={build} label={description} testId={testId} />
    </ChartFrame>
  );
}

/** Residual (measured − predicted) against the prediction, with the zero line. */
export function ResidualsChart({ points, unit }: { points: OutOfFoldPoint[]; unit: string }) {
  const build = useCallback(() => {
    const data = points.map((p) => ({ predicted: p.predicted, residual: p.measured - p.predicted }));
    return Plot.plot({
      width: WIDTH,
      height: 320,
      marginLeft: 52,
      marginBottom: 42,
      x: { label: `Predicted${unit ? ` (${unit})` : ''} →`, labelAnchor: 'center', labelOffset: 36, grid: true },
      y: { label: `↑ Measured − predicted${unit ? ` (${unit})` : ''}`, grid: true },
      marks: [
        Plot.ruleY([0], { stroke: '#4f5d6b', strokeDasharray: '5 4' }),
        Plot.dot(data, { x: 'predicted', y: 'residual', r: 3, fill: INK, fillOpacity: 0.75, className: 'residual-point' }),
      ],
    });
  }, [points, unit]);
  const mean = points.length ? points.reduce((s, p) => s + (p.measured - p.predicted), 0) / points.length : NaN;
  return (
    <ChartFrame title="Residuals" hint="a trend or funnel here means the error depends on the prediction">
      <PlotFigure build={build} label={`Residuals of ${points.length} out-of-fold predictions; mean residual ${num(mean)}.`} testId="residuals-chart" />
    </ChartFrame>
  );
}

/** Measured coverage of the intervals at several nominal levels, against the diagonal of perfect calibration. */
export function CalibrationChart({ points, level }: { points: CalibrationPoint[]; level: number | null }) {
  const build = useCallback(() => {
    const lo = Math.max(0, Math.min(...points.flatMap((p) => [p.level, p.coverage])) - 0.05);
    return Plot.plot({
      width: 440,
      aspectRatio: 1,
      marginLeft: 52,
      marginBottom: 42,
      x: { domain: [lo, 1], label: 'Nominal coverage →', labelAnchor: 'center', labelOffset: 36, grid: true, tickFormat: '.0%' },
      y: { domain: [lo, 1], label: '↑ Measured coverage', grid: true, tickFormat: '.0%' },
      marks: [
        Plot.line([[lo, lo], [1, 1]], { stroke: '#4f5d6b', strokeDasharray: '5 4' }),
        Plot.line(points, { x: 'level', y: 'coverage', stroke: INK, strokeWidth: 1.5 }),
        Plot.dot(points, {
          x: 'level',
          y: 'coverage',
          r: 4,
          fill: (p: CalibrationPoint) => (level !== null && Math.abs(p.level - level) < 1e-9 ? ACCENT : INK),
          title: (p: CalibrationPoint) => `nominal ${pct(p.level)}: measured ${pct(p.coverage)}`,
          className: 'calibration-point',
        }),
      ],
    });
  }, [points, level]);
  const label = `Interval coverage at ${points.length} nominal levels: ${points.map((p) => `${pct(p.level)} → ${pct(p.coverage)}`).join(', ')}.`;
  return (
    <ChartFrame title="Coverage calibration" hint="dashed: perfect calibration; red: the level the model was trained for">
      <PlotFigure build={build} label={label} testId="calibration-chart" />
    </ChartFrame>
  );
}

export function LearningCurveChart({ points, metric }: { points: LearningPoint[]; metric: string | null }) {
  const name = metric ? metricLabel(metric) : 'metric';
  const build = useCallback(
    () =>
      Plot.plot({
        width: WIDTH,
        height: 300,
        marginLeft: 52,
        marginBottom: 42,
        x: { label: 'Training rows →', labelAnchor: 'center', labelOffset: 36, grid: true },
        y: { label: `↑ Out-of-fold ${name}`, grid: true },
        marks: [
          Plot.line(points, { x: 'nTrain', y: 'metric', stroke: INK, strokeWidth: 2 }),
          Plot.dot(points, { x: 'nTrain', y: 'metric', r: 4, fill: INK, title: (p: LearningPoint) => `${p.nTrain} rows: ${num(p.metric)}`, className: 'learning-point' }),
        ],
      }),
    [points, name],
  );
  return (
    <ChartFrame title="Learning curve" hint="still falling at the right edge: more data would help">
      <PlotFigure
        build={build}
        label={`${name} by training-set size: ${points.map((p) => `${p.nTrain} rows ${num(p.metric)}`).join(', ')}.`}
        testId="learning-curve-chart"
      />
    </ChartFrame>
  );
}

export function ImportanceChart({ items, method }: { items: Importance[]; method: string | null }) {
  const top = [...items].sort((a, b) => b.importance - a.importance).slice(0, 15);
  const build = useCallback(
    () =>
      Plot.plot({
        width: WIDTH,
        height: 40 + top.length * 22,
        marginLeft: 170,
        x: { label: 'Importance →', grid: true },
        y: { label: null, domain: top.map((f) => f.name) },
        marks: [Plot.barX(top, { x: 'importance', y: 'name', fill: INK, title: (f: Importance) => `${f.name}: ${num(f.importance)}` }), Plot.ruleX([0])],
      }),
    [top],
  );
  return (
    <ChartFrame title="Feature importance" hint={`the ${top.length} most important of ${items.length} features${method ? ` (${method})` : ''}`}>
      <PlotFigure
        build={build}
        label={`Most important features: ${top.map((f) => `${f.name} ${num(f.importance)}`).join(', ')}.`}
        testId="importance-chart"
      />
    </ChartFrame>
  );
}

/** Classification: each row's out-of-fold probability of being active, in one strip per measured label. */
export function ProbabilityChart({ points, testId }: { points: OutOfFoldPoint[]; testId: string }) {
  const build = useCallback(() => {
    // Rows spread vertically inside their label's strip by a golden-ratio sequence: deterministic, no overlap bias.
    const data = points.map((p, i) => {
      const active = p.measured >= 0.5;
      return { ...p, label: active ? 'active' : 'inactive', y: (active ? 1 : 0) + (((i * 0.6180339887) % 1) - 0.5) * 0.6 };
    });
    return Plot.plot({
      width: WIDTH,
      height: 240,
      marginLeft: 70,
      marginBottom: 42,
      x: { domain: [0, 1], label: 'Predicted probability of active →', labelAnchor: 'center', labelOffset: 36, grid: true },
      y: { domain: [-0.5, 1.5], ticks: [0, 1], tickFormat: (d: number) => (d === 1 ? 'active' : 'inactive'), label: 'Measured' },
      color: { domain: ['inactive', 'active'], range: [INK, ACCENT] },
      marks: [
        Plot.ruleX([0.5], { stroke: '#4f5d6b', strokeDasharray: '5 4' }),
        Plot.dot(data, {
          x: 'predicted',
          y: 'y',
          r: 3,
          fill: 'label',
          fillOpacity: 0.75,
          title: (p: OutOfFoldPoint & { label: string }) => `row ${p.index + 1}: ${p.label}, P(active) ${num(p.predicted)}`,
          className: 'oof-point',
        }),
      ],
    });
  }, [points]);
  const actives = points.filter((p) => p.measured >= 0.5);
  const meanActive = actives.length ? actives.reduce((s, p) => s + p.predicted, 0) / actives.length : NaN;
  const inactives = points.filter((p) => p.measured < 0.5);
  const meanInactive = inactives.length ? inactives.reduce((s, p) => s + p.predicted, 0) / inactives.length : NaN;
  return (
    <ChartFrame title="Predicted probability by measured label (out-of-fold)" hint="dashed: the 0.5 threshold">
      <PlotFigure
        build={build}
        label={`${points.length} out-of-fold probabilities: mean ${num(meanActive)} for ${actives.length} actives and ${num(meanInactive)} for ${inactives.length} inactives.`}
        testId={testId}
      />
    </ChartFrame>
  );
}
