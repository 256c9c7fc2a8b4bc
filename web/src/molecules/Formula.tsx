// Molecular formulas read better with subscript counts (C₃H₈O); a trailing charge is superscript.
export function Formula({ formula }: { formula: string }) {
  const charge = /[+-]\d*$/.exec(formula);
  const body = charge ? formula.slice(0, charge.index) : formula;
  const parts = body.split(/(\d+)/).filter((p) => p.length > 0);
  return (
    <span className="formula">
      {parts.map((part, i) => (/^\d+$/.test(part) ? <sub key={i}>{part}</sub> : <span key={i}>{part}</span>))}
      {charge ? <sup>{charge[0]}</sup> : null}
    </span>
  );
}
