// Renders an Observable Plot chart (an SVG element built outside React) into a React-owned box.
import { useEffect, useRef } from 'react';

interface PlotFigureProps {
  /** Builds the chart; called again whenever it changes identity, so memoize it with the data it draws. */
  build: () => SVGSVGElement | HTMLElement;
  /** What the chart shows, for screen readers (the numbers are also in a table next to it). */
  label: string;
  testId?: string;
}

export function PlotFigure({ build, label, testId }: PlotFigureProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = box.current;
    if (!node) return;
    const chart = build();
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', label);
    node.replaceChildren(chart);
    return () => chart.remove();
  }, [build, label]);
  return <div ref={box} className="plot-figure" data-testid={testId} />;
}
