// Finds what can go into a recipe: registered molecules (by name, synonym, SMILES or InChIKey) and
// non-structural components such as polymers and carrier solutions. Each hit is an "Add" button.
import { useEffect, useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { listMolecules, moleculeKeys } from '../molecules/molecule-api.ts';
import { listComponents, mixtureKeys } from './mixture-api.ts';
import type { Substance } from './recipe.ts';

const SEARCH_DELAY_MS = 250;
const MAX_HITS = 8;

function useDebounced(value: string, delay: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

interface PickerProps {
  onPick: (substance: Substance) => void;
  /** Keys of substances already in the recipe, shown as added instead of offered again. */
  taken: ReadonlySet<string>;
}

export function ComponentPicker({ onPick, taken }: PickerProps) {
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), SEARCH_DELAY_MS);
  const inputId = useId();
  const hintId = useId();

  const molecules = useQuery({
    queryKey: moleculeKeys.list(q, null),
    queryFn: ({ signal }) => listMolecules(q, null, signal),
    enabled: q.length > 0,
  });
  const components = useQuery({
    queryKey: mixtureKeys.components(q),
    queryFn: ({ signal }) => listComponents(q, signal),
    enabled: q.length > 0,
  });

  // The search is done once something is picked; the new line's amount field takes the focus.
  const pick = (substance: Substance) => {
    setText('');
    onPick(substance);
  };

  // A disabled query still hands out cached data (other pages list with q = ''), so an empty search shows nothing.
  const moleculeHits = q.length > 0 ? (molecules.data?.items ?? []).slice(0, MAX_HITS) : [];
  const componentHits = q.length > 0 ? (components.data ?? []).slice(0, MAX_HITS) : [];
  const searching = q.length > 0 && (molecules.isFetching || components.isFetching);

  return (
    <div className="picker" role="search" aria-label="Find components">
      <label htmlFor={inputId}>Add a component</label>
      <input
        id={inputId}
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="Name, synonym, SMILES or InChIKey (e.g. DMSO, PVP)"
        autoComplete="off"
        spellCheck={false}
        aria-describedby={hintId}
      />
      <p id={hintId} className="hint">
        Molecules come from the structure library; polymers, ice blockers and carrier solutions are listed as other components.
      </p>
      <div aria-live="polite" className="picker__results">
        {searching ? <p className="muted">Searching…</p> : null}
        {molecules.isError ? <p className="form-error">Molecule search failed. {describeError(molecules.error)}</p> : null}
        {components.isError ? <p className="form-error">Component search failed. {describeError(components.error)}</p> : null}
        {q.length > 0 && !searching && moleculeHits.length === 0 && componentHits.length === 0 && !molecules.isError ? (
          <p className="muted">Nothing matches “{q}”. Register a new structure on the Molecules page first.</p>
        ) : null}
        {moleculeHits.length > 0 ? (
          <ul className="picker__list" aria-label="Molecules">
            {moleculeHits.map((m) => {
              const name = m.name ?? m.canonicalSmiles;
              const added = taken.has(m.inchikey);
              return (
                <li key={m.id}>
                  <button
                    type="button"
                    className="button picker__hit"
                    disabled={added}
                    onClick={() => pick({ kind: 'molecule', key: m.inchikey, inchikey: m.inchikey, moleculeId: m.id, name })}
                  >
                    {added ? 'Added: ' : 'Add '}
                    {name}
                  </button>{' '}
                  <span className="muted picker__meta">
                    {m.synonyms && m.synonyms.length > 0 ? `${m.synonyms.slice(0, 3).join(', ')} · ` : ''}
                    {m.formula}
                  </span>
                </li>
              );
            })}
          </ul>
        ) : null}
        {componentHits.length > 0 ? (
          <ul className="picker__list" aria-label="Other components">
            {componentHits.map((c) => {
              const added = taken.has(c.key);
              return (
                <li key={c.key}>
                  <button
                    type="button"
                    className="button picker__hit"
                    disabled={added}
                    onClick={() => pick({ kind: 'component', key: c.key, componentId: c.key, name: c.name, componentKind: c.kind })}
                  >
                    {added ? 'Added: ' : 'Add '}
                    {c.name}
                  </button>{' '}
                  <span className="muted picker__meta">{c.kind.replace('_', ' ')}</span>
                </li>
              );
            })}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
