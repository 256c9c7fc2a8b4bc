// Gordon–Taylor Tg of one component's binary with water across the whole concentration range,
// with a marker at that component's mass fraction in this mixture.
import { useCallback } from 'react';
import { useQuery } from '@tanstack/react-query';
import * as Plot from '@observablehq/plot';
import { describeError } from '../api.ts';
import { percent, sig } from './format.ts';
import { getTgCurve, mixtureKeys, type TgCurve } from './mixture-api.ts';
import { SourceList } from './DerivedProperties.tsx';
import { PlotFigure } from './PlotFigure.tsx';

interface TgCurveChartProps {
  mixtureId: string;
  inchikey: string;
  name: string;
  /** The component's mass fraction in this mixture. */
  massFraction: number;
}

function kelvinAt(curve: TgCurve, massFraction: number): number | null {
  const points = curve.points;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (!a || !b) continue;
    if (massFraction >= a.massFraction && massFraction <= b.massFraction) {
      const t = b.massFraction === a.massFraction ? 0 : (massFraction - a.massFraction) / (b.massFraction - a.massFraction);
      return a.kelvin + t * (b.kelvin - a.kelvin);
    }
  }
  return null;
}

function CurvePlot({ curve, name, massFraction }: { curve: TgCurve; name: string; massFraction: number }) {
  const atMixture = kelvinAt(curve, massFraction);
  const build = useCallback(
    () =>
      Plot.plot({
        width: 460,
        height: 280,
        marginLeft: 48,
        marginBottom: 42,
        x: { domain: [0, 1], label: `Mass fraction of ${name} in water →`, labelAnchor: 'center', labelOffset: 36, grid: true },
        y: { label: '↑ Tg (K)', grid: true },
        marks: [
          Plot.line(curve.points, { x: 'massFraction', y: 'kelvin', stroke: '#0b4f6c', strokeWidth: 2 }),
          Plot.ruleX([massFraction], { stroke: '#b3261e', strokeDasharray: '4 3' }),
          ...(atMixture !== null ? [Plot.dot([{ x: massFraction, y: atMixture }], { x: 'x', y: 'y', fill: '#b3261e', r: 4 })] : []),
          Plot.text([{ x: massFraction }], {
            x: 'x',
            frameAnchor: 'top',
            text: () => `this mixture: ${percent(massFraction)}`,
            textAnchor: massFraction > 0.6 ? 'end' : 'start',
            dx: massFraction > 0.6 ? -4 : 4,
            dy: 4,
            fill: '#b3261e',
          }),
        ],
      }),
    [curve, name, massFraction, atMixture],
  );
  const label =
    `Glass transition of ${name}–water mixtures from ${sig(curve.points[0]?.kelvin)} K (pure water) to ` +
    `${sig(curve.points[curve.points.length - 1]?.kelvin)} K (pure ${name}); this mixture holds ${percent(massFraction)} ${name} by mass` +
    (atMixture !== null ? `, where the binary has Tg ${sig(atMixture)} K.` : '.');
  return <PlotFigure build={build} label={label} testId={`tg-curve-${curve.component}`} />;
}

export function TgCurveChart({ mixtureId, inchikey, name, massFraction }: TgCurveChartProps) {
  const query = useQuery({
    queryKey: mixtureKeys.tgCurve(mixtureId, inchikey),
    queryFn: ({ signal }) => getTgCurve(mixtureId, inchikey, signal),
    staleTime: 5 * 60_000,
  });
  return (
    <figure className="mixture-figure" aria-labelledby={`tg-caption-${inchikey}`}>
      <figcaption id={`tg-caption-${inchikey}`}>
        <strong>Tg vs concentration: {name} + water</strong>
        <span className="hint"> · binary Gordon–Taylor curve; the other components of this mixture are not in it</span>
      </figcaption>
      {query.isPending ? <p role="status">Loading curve…</p> : null}
      {query.isError ? <p className="form-error">Could not load the curve. {describeError(query.error)}</p> : null}
      {query.data ? (
        <>
          <CurvePlot curve={query.data} name={name} massFraction={massFraction} />
          <SourceList sources={query.data.sources} label={`Sources of the ${name} curve`} />
        </>
      ) : null}
    </figure>
  );
}
