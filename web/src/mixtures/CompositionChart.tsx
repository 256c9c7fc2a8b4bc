// Mass fractions of every component and of the water balance, as horizontal bars.
import { useCallback, useMemo } from 'react';
import * as Plot from '@observablehq/plot';
import type { MixtureEvaluation } from './mixture-api.ts';
import { percent } from './format.ts';
import { PlotFigure } from './PlotFigure.tsx';

interface Slice {
  name: string;
  massFraction: number;
  water: boolean;
}

function slicesOf(derived: MixtureEvaluation): Slice[] {
  return [
    ...derived.components.map((c) => ({ name: c.name, massFraction: c.massFraction, water: false })),
    { name: 'Water (balance)', massFraction: derived.water.massFraction, water: true },
  ];
}

export function CompositionChart({ derived }: { derived: MixtureEvaluation }) {
  // react-query keeps an unchanged answer's identity, so the chart is rebuilt only when numbers change.
  const slices = useMemo(() => slicesOf(derived), [derived]);
  const build = useCallback(() => {
    const data = slices;
    return Plot.plot({
      width: 640,
      height: 44 + data.length * 30,
      marginLeft: 170,
      marginRight: 64,
      x: { domain: [0, 1], label: null, tickFormat: '.0%', grid: true },
      y: { label: null, domain: data.map((d) => d.name) },
      marks: [
        Plot.barX(data, { x: 'massFraction', y: 'name', fill: (d: Slice) => (d.water ? '#8fb8d0' : '#0b4f6c') }),
        Plot.text(data, {
          x: 'massFraction',
          y: 'name',
          text: (d: Slice) => percent(d.massFraction),
          textAnchor: 'start',
          dx: 4,
          fill: '#16202a',
        }),
        Plot.ruleX([0]),
      ],
    });
  }, [slices]);
  const label = `Composition by mass: ${slices.map((s) => `${s.name} ${percent(s.massFraction)}`).join(', ')}`;
  return (
    <figure className="mixture-figure">
      <PlotFigure build={build} label={label} testId="composition-chart" />
      <figcaption className="hint">Mass fraction of each component; water makes up the balance.</figcaption>
    </figure>
  );
}
