// Up to four formulations side by side: each component's published amount and mass fraction, then
// the derived properties, one column per formulation.
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { Link, useSearchParams } from '../router.tsx';
import { MAX_COMPARE, VerifiedBadge } from './FormulationsPage.tsx';
import { amountText, citationText, kelvinAndCelsius, percent, sig, withUnit } from './format.ts';
import { compareMixtures, mixtureKeys, type MixtureDetail } from './mixture-api.ts';
import './mixtures.css';

interface ComponentRow {
  key: string;
  name: string;
}

/** Every component that appears in any of the mixtures, in first-seen order. */
function componentRows(mixtures: readonly MixtureDetail[]): ComponentRow[] {
  const rows = new Map<string, ComponentRow>();
  for (const m of mixtures) {
    for (const c of [...m.components].sort((a, b) => a.position - b.position)) {
      const key = c.inchikey ?? c.componentId ?? c.name;
      if (!rows.has(key)) rows.set(key, { key, name: c.name });
    }
  }
  return [...rows.values()];
}

function ComponentCell({ mixture, row }: { mixture: MixtureDetail; row: ComponentRow }) {
  const line = mixture.components.find((c) => (c.inchikey ?? c.componentId ?? c.name) === row.key);
  if (!line) return <span className="muted">—</span>;
  const derived = mixture.derived?.components.find((c) => c.key === row.key);
  return (
    <>
      {amountText(line.amount, line.unit)}
      {derived ? <div className="muted">{percent(derived.massFraction)} by mass</div> : null}
    </>
  );
}

function PropertyRow({ label, mixtures, value }: { label: ReactNode; mixtures: readonly MixtureDetail[]; value: (m: MixtureDetail) => ReactNode }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      {mixtures.map((m) => (
        <td key={m.id} className="cell-value">
          {m.derived ? value(m) : <span className="muted">not computable</span>}
        </td>
      ))}
    </tr>
  );
}

function CompareTable({ mixtures }: { mixtures: readonly MixtureDetail[] }) {
  const rows = componentRows(mixtures);
  const span = mixtures.length + 1;
  return (
    <div className="table-wrap">
      <table className="data-table compare-table" data-testid="compare-table">
        <caption>Side-by-side comparison of {mixtures.length} formulations</caption>
        <thead>
          <tr>
            <th scope="col">Property</th>
            {mixtures.map((m) => (
              <th scope="col" key={m.id}>
                <Link to={`/formulations/${encodeURIComponent(m.id)}`}>{m.name}</Link>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Composition</th>
            {mixtures.map((m) => (
              <td key={m.id}>
                <VerifiedBadge mixture={m} />
                {m.derivedError ? (
                  <p className="field-error compare-table__derived-error">
                    Derived quantities unavailable: {m.derivedError.errors[0]?.message ?? m.derivedError.detail}
                  </p>
                ) : null}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">Source</th>
            {mixtures.map((m) => (
              <td key={m.id} className="citation">
                {m.source ? citationText(m.source) : <span className="muted">Added by a user</span>}
              </td>
            ))}
          </tr>
          <tr className="group-row">
            <th scope="rowgroup" colSpan={span}>
              Recipe (as published) and mass fraction
            </th>
          </tr>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.name}</th>
              {mixtures.map((m) => (
                <td key={m.id}>
                  <ComponentCell mixture={m} row={row} />
                </td>
              ))}
            </tr>
          ))}
          <PropertyRow label="Water (balance)" mixtures={mixtures} value={(m) => `${percent(m.derived?.water.massFraction)} by mass`} />
          <tr className="group-row">
            <th scope="rowgroup" colSpan={span}>
              Derived properties
            </th>
          </tr>
          <PropertyRow
            label="Glass transition (Gordon–Taylor)"
            mixtures={mixtures}
            value={(m) => kelvinAndCelsius(m.derived?.glassTransition.kelvin ?? null, m.derived?.glassTransition.celsius ?? null)}
          />
          <PropertyRow label={<>q<sub>v</sub>*</>} mixtures={mixtures} value={(m) => sig(m.derived?.qvStar, 3)} />
          <PropertyRow label="Osmolality (ideal)" mixtures={mixtures} value={(m) => withUnit(m.derived?.osmolality, 'osmol/kg')} />
          <PropertyRow label="Total molarity" mixtures={mixtures} value={(m) => withUnit(m.derived?.totalMolarity, 'mol/L')} />
          <PropertyRow label="Total molality" mixtures={mixtures} value={(m) => withUnit(m.derived?.totalMolality, 'mol/kg water')} />
          <PropertyRow label="Solution density" mixtures={mixtures} value={(m) => withUnit(m.derived?.solutionDensity, 'g/mL')} />
        </tbody>
      </table>
    </div>
  );
}

export function ComparePage() {
  const [params] = useSearchParams();
  const ids = [...new Set((params.get('ids') ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0))];
  const valid = ids.length >= 2 && ids.length <= MAX_COMPARE;
  const query = useQuery({
    queryKey: mixtureKeys.compare(ids),
    queryFn: () => compareMixtures(ids),
    enabled: valid,
  });
  return (
    <>
      <title>Compare formulations · CryoProtect</title>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/formulations">Formulations</Link> <span aria-hidden="true">›</span> <span aria-current="page">Compare</span>
      </nav>
      <h1>Compare formulations</h1>
      {!valid ? (
        <p className="empty" role="status">
          Choose between 2 and {MAX_COMPARE} formulations on the <Link to="/formulations">formulation list</Link> to compare them.
        </p>
      ) : null}
      {valid && query.isPending ? <p role="status">Loading formulations…</p> : null}
      {query.isError ? (
        <p className="form-error" role="alert">
          Could not compare these formulations. {describeError(query.error)}
        </p>
      ) : null}
      {query.data ? <CompareTable mixtures={query.data} /> : null}
      {query.data ? (
        <p className="hint">
          Derived values come from each recipe with the assumptions listed on each formulation’s page (ideal volume additivity
          unless a measured density is given; ideal osmolality).
        </p>
      ) : null}
    </>
  );
}
