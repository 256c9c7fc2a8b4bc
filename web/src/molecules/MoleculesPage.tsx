// The molecule browser: text/identifier search, descriptor filters, sortable columns, keyset pagination and
// exports of the whole selection, beside the "Add molecule" form. Everything that selects or pages the list is
// in the URL query (browse-state.ts), so reload, Back/Forward and shared links show the same list.
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ApiProblem, describeError } from '../api.ts';
import { Link, useSearchParams } from '../router.tsx';
import { AddMoleculeForm } from './AddMoleculeForm.tsx';
import { activeRangeCount, browseParams, nextSort, readBrowseState, selectionKey, type BrowseState } from './browse-state.ts';
import { Formula } from './Formula.tsx';
import {
  depictionUrl, displayName, EXPORT_FORMATS, exportUrl, formatMass, formatOptional, listMolecules, moleculeKeys, PAGE_SIZE,
  RANGE_FILTERS, THUMBNAIL, type Molecule, type MoleculeSelection, type RangeParam, type SortField,
} from './molecule-api.ts';
import { MoleculeSectionNav } from './MoleculeSectionNav.tsx';
import { cursorOfPage, rememberPage } from './page-trail.ts';
import '../auth/auth.css';
import './molecules.css';

const FILTER_DELAY_MS = 300;

/** Reads the browser state from the URL and writes it back: `replace` for typing, a new entry otherwise. */
function useBrowseState(): [BrowseState, (next: BrowseState, options?: { replace?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const state = readBrowseState(params);
  const update = (next: BrowseState, options: { replace?: boolean } = {}) => setParams(browseParams(next), options);
  return [state, update];
}

/** A new selection always starts again at its first page. */
function withSelection(state: BrowseState, selection: MoleculeSelection): BrowseState {
  return { ...state, selection, cursor: null, page: 1 };
}

function MoleculeRow({ molecule }: { molecule: Molecule }) {
  const label = displayName(molecule);
  return (
    <tr>
      <td className="cell-depiction">
        <img
          src={depictionUrl(molecule.id, THUMBNAIL)}
          alt={`Structure of ${label}`}
          width={120}
          height={80}
          loading="lazy"
          decoding="async"
        />
      </td>
      <th scope="row" className="cell-name">
        <Link to={`/molecules/${molecule.id}`}>{molecule.name ?? <span className="muted">Unnamed</span>}</Link>
      </th>
      <td className="cell-smiles">
        <code>{molecule.canonicalSmiles}</code>
      </td>
      <td className="cell-identity">
        <Formula formula={molecule.formula} />
        <code className="cell-identity__key">{molecule.inchikey}</code>
      </td>
      <td className="cell-number">{formatMass(molecule.molecularWeight)}</td>
      <td className="cell-number">{formatOptional(molecule.clogp, 2)}</td>
      <td className="cell-number">{formatOptional(molecule.tpsa, 1)}</td>
      <td className="cell-number">
        {formatOptional(molecule.hbd, 0)} / {formatOptional(molecule.hba, 0)}
      </td>
    </tr>
  );
}

function SearchBox() {
  const [state, setState] = useBrowseState();
  const q = state.selection.q;
  const stateKey = JSON.stringify(browseParams(state));
  const [draft, setDraft] = useState(q);
  const inputId = useId();
  const hintId = useId();

  // Follow the URL when it changes from outside (Back/Forward, a link).
  useEffect(() => {
    setDraft((current) => (current.trim() === q ? current : q));
  }, [q]);

  // Wait for a pause in typing, and replace rather than push so Back leaves the page instead of stepping
  // through every keystroke.
  useEffect(() => {
    const wanted = draft.trim();
    if (wanted === q) return;
    const timer = setTimeout(() => setState(withSelection(state, { ...state.selection, q: wanted }), { replace: true }), FILTER_DELAY_MS);
    return () => clearTimeout(timer);
    // `state` is a new object on every render; stateKey is its value, so a pending update never undoes another change.
  }, [draft, q, stateKey]);

  return (
    <form className="filter" role="search" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor={inputId}>Filter molecules</label>
      <input
        id={inputId}
        type="search"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        placeholder="Name, SMILES, InChIKey, CAS, CID or ChEMBL id"
        aria-describedby={hintId}
        autoComplete="off"
        spellCheck={false}
      />
      <p id={hintId} className="hint">
        Names and synonyms match anywhere in the text; identifiers (InChIKey, CAS 56-81-5, CID 753, CHEMBL…) and SMILES match exactly.
      </p>
    </form>
  );
}

type RangeDraft = Partial<Record<RangeParam, string>>;

/** Range errors the page can see before asking the server: a minimum above its maximum. */
function rangeErrors(draft: RangeDraft): Partial<Record<RangeParam, string>> {
  const errors: Partial<Record<RangeParam, string>> = {};
  for (const f of RANGE_FILTERS) {
    const min = draft[`min${f.key}`];
    const max = draft[`max${f.key}`];
    if (min && max && Number(min) > Number(max)) errors[`min${f.key}`] = `The minimum ${min} is above the maximum ${max}.`;
  }
  return errors;
}

function DescriptorFilters() {
  const [state, setState] = useBrowseState();
  const { selection } = state;
  const [draft, setDraft] = useState<RangeDraft>(selection.ranges);
  const [scope, setScope] = useState(selection.public);
  const [showErrors, setShowErrors] = useState(false);
  const baseId = useId();
  const urlRanges = JSON.stringify(selection.ranges);

  // The URL wins when it changes from outside (Back/Forward, Clear, a link).
  useEffect(() => {
    setDraft(selection.ranges);
    setShowErrors(false);
  }, [urlRanges]);
  useEffect(() => setScope(selection.public), [selection.public]);

  const errors = showErrors ? rangeErrors(draft) : {};
  const active = activeRangeCount(selection) + (selection.public ? 1 : 0);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (Object.keys(rangeErrors(draft)).length > 0) {
      setShowErrors(true);
      return;
    }
    const ranges: RangeDraft = {};
    for (const [key, value] of Object.entries(draft) as [RangeParam, string | undefined][]) {
      if (value && value.trim() !== '') ranges[key] = value.trim();
    }
    setState(withSelection(state, { ...selection, ranges, public: scope }));
  };
  const clear = () => {
    setDraft({});
    setScope('');
    setState(withSelection(state, { ...selection, ranges: {}, public: '' }));
  };

  return (
    <details className="panel molecule-filters" open={active > 0 ? true : undefined}>
      <summary>
        Descriptor filters{active > 0 ? <span className="muted"> · {active} active</span> : null}
      </summary>
      <form onSubmit={apply} aria-label="Descriptor filters">
        <div className="range-grid">
          {RANGE_FILTERS.map((f) => {
            const minKey = `min${f.key}` as const;
            const maxKey = `max${f.key}` as const;
            const error = errors[minKey];
            const errorId = `${baseId}-${f.key}-error`;
            return (
              <fieldset key={f.key} className="range-field">
                <legend>
                  {f.label} {f.unit ? <span className="unit">({f.unit})</span> : null}
                </legend>
                <label>
                  <span className="visually-hidden">{f.label} </span>min
                  <input
                    type="number"
                    name={minKey}
                    step={f.integer ? 1 : 'any'}
                    inputMode={f.integer ? 'numeric' : 'decimal'}
                    value={draft[minKey] ?? ''}
                    onChange={(e) => setDraft({ ...draft, [minKey]: e.target.value })}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? errorId : undefined}
                  />
                </label>
                <label>
                  <span className="visually-hidden">{f.label} </span>max
                  <input
                    type="number"
                    name={maxKey}
                    step={f.integer ? 1 : 'any'}
                    inputMode={f.integer ? 'numeric' : 'decimal'}
                    value={draft[maxKey] ?? ''}
                    onChange={(e) => setDraft({ ...draft, [maxKey]: e.target.value })}
                    aria-invalid={error ? true : undefined}
                  />
                </label>
                {error ? (
                  <p id={errorId} className="field-error">
                    {error}
                  </p>
                ) : null}
              </fieldset>
            );
          })}
          <div className="range-field">
            <label htmlFor={`${baseId}-scope`}>Scope</label>
            <select id={`${baseId}-scope`} value={scope} onChange={(e) => setScope(e.target.value as MoleculeSelection['public'])}>
              <option value="">Everything I can see</option>
              <option value="true">Public reference only</option>
              <option value="false">My projects only</option>
            </select>
          </div>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary">
            Apply filters
          </button>
          <button type="button" className="button" onClick={clear} disabled={active === 0}>
            Clear filters
          </button>
        </div>
      </form>
    </details>
  );
}

const SORT_LABELS: Record<SortField, string> = { name: 'name', molecularWeight: 'molecular weight', clogp: 'cLogP', tpsa: 'TPSA' };

function SortableHeader({ field, children, numeric }: { field: SortField; children: ReactNode; numeric?: boolean }) {
  const [state, setState] = useBrowseState();
  const { sort, order } = state.selection;
  const active = sort === field;
  const next = nextSort({ sort, order }, field);
  return (
    <th scope="col" className={numeric ? 'cell-number' : undefined} aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button
        type="button"
        className="sort-button"
        onClick={() => setState(withSelection(state, { ...state.selection, ...next }))}
        title={`Sort by ${SORT_LABELS[field]}, ${next.order === 'asc' ? 'ascending' : 'descending'}`}
      >
        {children}
        <span aria-hidden="true" className="sort-button__arrow">
          {active ? (order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

function ExportLinks({ selection }: { selection: MoleculeSelection }) {
  return (
    <p className="export-links">
      <span className="muted">Export every molecule of this list:</span>{' '}
      {EXPORT_FORMATS.map((f) => (
        <a key={f.format} className="button button--small" href={exportUrl(f.format, selection)} download>
          {f.label}
        </a>
      ))}
    </p>
  );
}

function describeSelection(selection: MoleculeSelection): string {
  const parts: string[] = [];
  if (selection.q) parts.push(`matching “${selection.q}”`);
  const ranges = activeRangeCount(selection);
  if (ranges > 0) parts.push(`${ranges} descriptor filter${ranges === 1 ? '' : 's'}`);
  if (selection.public === 'true') parts.push('public reference library only');
  if (selection.public === 'false') parts.push('my projects only');
  return parts.length > 0 ? ` · ${parts.join(' · ')}` : '';
}

function MoleculeTable() {
  const [state, setState] = useBrowseState();
  const { selection, cursor, page } = state;
  const key = selectionKey(selection);

  // Remember how this page was reached, so Previous can come back to it.
  useEffect(() => {
    rememberPage(key, page, cursor);
  }, [key, page, cursor]);

  const query = useQuery({
    queryKey: moleculeKeys.list(selection, cursor),
    queryFn: ({ signal }) => listMolecules(selection, cursor, signal),
    placeholderData: keepPreviousData,
  });

  if (query.isPending) return <p role="status">Loading molecules…</p>;
  if (query.isError) {
    const problem = query.error instanceof ApiProblem ? query.error : null;
    return (
      <div className="form-error" role="alert">
        <p>Could not load molecules. {describeError(query.error)}</p>
        {problem?.errors.map((e) => (
          <p key={`${e.field}-${e.message}`}>
            {e.field}: {e.message}
          </p>
        ))}
        {problem?.status === 400 ? (
          <button type="button" className="button" onClick={() => setState({ selection: { ...selection, ranges: {}, public: '' }, cursor: null, page: 1 })}>
            Clear filters
          </button>
        ) : (
          <button type="button" className="button" onClick={() => void query.refetch()}>
            Try again
          </button>
        )}
      </div>
    );
  }

  const { items, nextCursor } = query.data;
  const previousCursor = cursorOfPage(key, page - 1);
  const goNext = () => {
    if (nextCursor) setState({ ...state, cursor: nextCursor, page: page + 1 });
  };
  const goPrevious = () => {
    // Opened from a link on a later page: the way back is unknown, so go to the start.
    if (previousCursor === undefined) setState({ ...state, cursor: null, page: 1 });
    else setState({ ...state, cursor: previousCursor, page: page - 1 });
  };

  if (items.length === 0 && page === 1) {
    const filtered = selection.q || activeRangeCount(selection) > 0 || selection.public;
    return (
      <p className="empty" role="status">
        {filtered ? `No molecules match${describeSelection(selection).replace(/^ · /, ': ')}.` : 'The library has no molecules yet. Add one with the form.'}
      </p>
    );
  }

  const first = (page - 1) * PAGE_SIZE + 1;
  return (
    <>
      <div className="table-wrap" aria-busy={query.isFetching}>
        <table className="data-table molecule-table" data-testid="molecule-table">
          <caption>
            Molecules {items.length > 0 ? `${first}–${first + items.length - 1}` : ''}
            {describeSelection(selection)}
            {query.isFetching ? <span className="muted"> · updating…</span> : null}
          </caption>
          <thead>
            <tr>
              <th scope="col">Structure</th>
              <SortableHeader field="name">Name</SortableHeader>
              <th scope="col">Canonical SMILES</th>
              <th scope="col">Formula · InChIKey</th>
              <SortableHeader field="molecularWeight" numeric>
                MW <span className="unit">(g/mol)</span>
              </SortableHeader>
              <SortableHeader field="clogp" numeric>
                cLogP
              </SortableHeader>
              <SortableHeader field="tpsa" numeric>
                TPSA <span className="unit">(Å²)</span>
              </SortableHeader>
              <th scope="col" className="cell-number">
                <abbr title="H-bond donors / acceptors">HBD / HBA</abbr>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <MoleculeRow key={m.id} molecule={m} />
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Molecule pages">
        <button type="button" className="button" onClick={goPrevious} disabled={page === 1 || query.isFetching}>
          {page > 1 && previousCursor === undefined ? 'First page' : 'Previous'}
        </button>
        <span className="pager__page">Page {page}</span>
        <button type="button" className="button" onClick={goNext} disabled={!nextCursor || query.isFetching}>
          Next
        </button>
      </nav>
      <ExportLinks selection={selection} />
    </>
  );
}

export function MoleculesPage() {
  return (
    <>
      <title>Molecules · CryoProtect</title>
      <h1>Molecules</h1>
      <MoleculeSectionNav />
      <div className="page-grid">
        <div className="page-grid__main">
          <SearchBox />
          <DescriptorFilters />
          <MoleculeTable />
        </div>
        <aside className="page-grid__side">
          <AddMoleculeForm />
        </aside>
      </div>
    </>
  );
}
