// The derived block of a formulation — composition in every basis, Gordon–Taylor Tg, q_v*, ideal
// osmolality — with the assumptions, notes and sources the server attached. Shared by the builder
// (live) and the detail page (saved), so the same recipe reads the same on both.
import { Fragment } from 'react';
import type { MixtureEvaluation, SourceRef } from './mixture-api.ts';
import { amountText, citationText, doiUrl, fraction, kelvinAndCelsius, percent, roleLabel, sig, withUnit } from './format.ts';

const VOLUME_MODEL_TEXT: Record<MixtureEvaluation['volumeModel'], string> = {
  'measured-density': 'measured solution density',
  'ideal-volume-additivity': 'ideal volume additivity',
  unavailable: 'unavailable (a component has no cited density)',
};

export function CompositionTable({ derived, caption }: { derived: MixtureEvaluation; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="derived-composition">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">Role</th>
            <th scope="col">As given</th>
            <th scope="col" className="cell-number">
              Mass fraction
            </th>
            <th scope="col" className="cell-number">
              Mole fraction
            </th>
            <th scope="col" className="cell-number">
              Molarity <span className="unit">(mol/L)</span>
            </th>
            <th scope="col" className="cell-number">
              Molality <span className="unit">(mol/kg water)</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {derived.components.map((c, i) => (
            <tr key={`${c.key}-${i}`}>
              <th scope="row">{c.name}</th>
              <td>{roleLabel(c.role)}</td>
              <td className="cell-nowrap">{amountText(c.amount, c.unit)}</td>
              <td className="cell-number">{percent(c.massFraction)}</td>
              <td className="cell-number">{fraction(c.moleFraction)}</td>
              <td className="cell-number">{sig(c.molarity)}</td>
              <td className="cell-number">{sig(c.molality)}</td>
            </tr>
          ))}
          <tr className="row-balance">
            <th scope="row">Water</th>
            <td>balance</td>
            <td>—</td>
            <td className="cell-number">{percent(derived.water.massFraction)}</td>
            <td className="cell-number">{fraction(derived.water.moleFraction)}</td>
            <td className="cell-number">—</td>
            <td className="cell-number">—</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function osmolalityText(derived: MixtureEvaluation): string {
  if (derived.osmolality !== null) return withUnit(derived.osmolality, 'osmol/kg');
  return `not computable (at least ${sig(derived.osmolalityKnownContribution)} osmol/kg from solutes with known molality)`;
}

/** The headline numbers, each with its method, as a definition list. */
export function DerivedSummary({ derived }: { derived: MixtureEvaluation }) {
  const gt = derived.glassTransition;
  return (
    <dl className="facts derived-summary" data-testid="derived-summary">
      <dt>Glass transition (Tg)</dt>
      <dd data-testid="derived-tg">
        {kelvinAndCelsius(gt.kelvin, gt.celsius)}
        <span className="muted"> · {gt.method === 'gordon-taylor' ? 'multicomponent Gordon–Taylor' : gt.method}</span>
        {gt.missing.length > 0 ? (
          <ul className="missing-list" aria-label="Missing glass-transition parameters">
            {gt.missing.map((m) => (
              <li key={m.component}>
                {m.name}: no cited {m.missing.map((p) => (p === 'tg' ? 'Tg' : p === 'k' ? 'Gordon–Taylor k' : p)).join(' or ')}
              </li>
            ))}
          </ul>
        ) : null}
      </dd>
      {(gt.alternatives ?? []).map((a) => (
        <Fragment key={a.method}>
          <dt>Tg, {a.method === 'fox' ? 'Fox rule' : 'Couchman–Karasz'}</dt>
          <dd data-testid={`derived-tg-${a.method}`}>
            {a.kelvin === null ? `not available: missing ${[...new Set(a.missing.flatMap((m) => m.missing))].join(', ')}` : kelvinAndCelsius(a.kelvin, a.kelvin - 273.15)}
            <span className="muted"> · {a.note}</span>
          </dd>
        </Fragment>
      ))}
      <dt>
        q<sub>v</sub>*
      </dt>
      <dd data-testid="derived-qvstar">
        {sig(derived.qvStar, 3)}
        <span className="muted"> water molecules per polar group of penetrating CPAs</span>
      </dd>
      <dt>Osmolality (ideal)</dt>
      <dd data-testid="derived-osmolality">{osmolalityText(derived)}</dd>
      <dt>Total molarity</dt>
      <dd data-testid="derived-total-molarity">{withUnit(derived.totalMolarity, 'mol/L')}</dd>
      <dt>Total molality</dt>
      <dd data-testid="derived-total-molality">{withUnit(derived.totalMolality, 'mol/kg water')}</dd>
      <dt>Solution density</dt>
      <dd data-testid="derived-density">
        {withUnit(derived.solutionDensity, 'g/mL')}
        <span className="muted"> · {VOLUME_MODEL_TEXT[derived.volumeModel]}</span>
      </dd>
    </dl>
  );
}

export function SourceList({ sources, label = 'Sources' }: { sources: readonly SourceRef[]; label?: string }) {
  if (sources.length === 0) return <p className="muted">No sources.</p>;
  return (
    <ul className="source-list" aria-label={label}>
      {sources.map((s) => (
        <li key={s.key}>
          {citationText(s)}
          {s.doi ? (
            <>
              {' · '}
              <a href={doiUrl(s.doi)} rel="noreferrer">
                doi:{s.doi}
              </a>
            </>
          ) : (
            <span className="muted"> · no DOI</span>
          )}
        </li>
      ))}
    </ul>
  );
}

function GlassTransitionParameters({ derived }: { derived: MixtureEvaluation }) {
  const rows = derived.glassTransition.parameters;
  if (rows.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="gt-parameters">
        <caption>Gordon–Taylor parameters used</caption>
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col" className="cell-number">
              Tg <span className="unit">(K)</span>
            </th>
            <th scope="col" className="cell-number">
              k <span className="unit">(with water)</span>
            </th>
            <th scope="col">Sources (Tg; k)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.component}>
              <th scope="row">{p.name === 'water' ? 'Water' : p.name}</th>
              <td className="cell-number">{p.tg === null ? 'no cited value' : sig(p.tg)}</td>
              <td className="cell-number">{p.component === 'water' ? '—' : p.k === null ? 'no cited value' : sig(p.k)}</td>
              <td>
                {p.tgSourceKey ?? '—'}; {p.component === 'water' ? '—' : (p.sourceKey ?? '—')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Everything the server derived, in reading order. */
export function DerivedProperties({ derived, headingLevel = 2 }: { derived: MixtureEvaluation; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className="derived" data-testid="derived">
      <DerivedSummary derived={derived} />
      <CompositionTable derived={derived} caption="Composition in every basis" />
      <GlassTransitionParameters derived={derived} />
      {derived.notes.length > 0 ? (
        <div className="notice" role="note">
          <p className="notice__title">Why some values are missing</p>
          {derived.notes.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      ) : null}
      <details className="derived__details">
        <summary>
          q<sub>v</sub>* counting rule ({derived.qvStarDetail.convention}
          {derived.qvStarDetail.conventionVerified ? '' : ', not yet checked against the source'})
        </summary>
        <p>{derived.qvStarDetail.description}</p>
        <ul>
          {derived.qvStarDetail.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      </details>
      <H>Assumptions</H>
      <ul className="assumption-list" data-testid="derived-assumptions">
        {derived.assumptions.map((a) => (
          <li key={a}>{a}</li>
        ))}
      </ul>
      <H>Sources of the parameters</H>
      <SourceList sources={derived.sources} label="Sources of the parameters" />
    </div>
  );
}
