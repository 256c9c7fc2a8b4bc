// The molecule library: a filterable, cursor-paginated table and the "Add molecule" form.
// The filter lives in the URL (?q=) so it survives reloads and Back; the cursor trail for
// Previous/Next is page state, because cursors are opaque and only valid for one filter.
import { useEffect, useId, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { Link, useSearchParams } from '../router.tsx';
import { AddMoleculeForm } from './AddMoleculeForm.tsx';
import { Formula } from './Formula.tsx';
import { depictionUrl, displayName, formatMass, listMolecules, moleculeKeys, PAGE_SIZE, THUMBNAIL, type Molecule } from './molecule-api.ts';

const FILTER_DELAY_MS = 300;

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
      <td>
        <Formula formula={molecule.formula} />
      </td>
      <td className="cell-number">{formatMass(molecule.molecularWeight)}</td>
      <td className="cell-inchikey">
        <code>{molecule.inchikey}</code>
      </td>
    </tr>
  );
}

function FilterBox() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const inputId = useId();

  // Follow the URL when it changes from outside (Back/Forward, a link).
  useEffect(() => {
    setDraft((current) => (current.trim() === q ? current : q));
  }, [q]);

  // Wait for a pause in typing, and replace rather than push so Back leaves the page instead of
  // stepping through every keystroke.
  useEffect(() => {
    const wanted = draft.trim();
    if (wanted === q) return;
    const timer = setTimeout(() => setParams({ q: wanted }, { replace: true }), FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, q, setParams]);

  return (
    <form className="filter" role="search" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor={inputId}>Filter molecules</label>
      <input
        id={inputId}
        type="search"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        placeholder="Name, SMILES or InChIKey"
        autoComplete="off"
        spellCheck={false}
      />
    </form>
  );
}

function MoleculeTable() {
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  // The trail of cursors that led to the current page; index 0 is the first page (no cursor).
  const [trail, setTrail] = useState<{ q: string; cursors: (string | null)[] }>({ q, cursors: [null] });
  const cursors = trail.q === q ? trail.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;
  const pageNumber = cursors.length;

  const query = useQuery({
    queryKey: moleculeKeys.list(q, cursor),
    queryFn: ({ signal }) => listMolecules(q, cursor, signal),
    placeholderData: keepPreviousData,
  });

  if (query.isPending) return <p role="status">Loading molecules…</p>;
  if (query.isError) {
    return (
      <div className="form-error" role="alert">
        <p>Could not load molecules. {describeError(query.error)}</p>
        <button type="button" className="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  }

  const { items, nextCursor } = query.data;
  const goNext = () => {
    if (nextCursor) setTrail({ q, cursors: [...cursors, nextCursor] });
  };
  const goPrevious = () => setTrail({ q, cursors: cursors.slice(0, -1) });

  if (items.length === 0 && pageNumber === 1) {
    return (
      <p className="empty" role="status">
        {q ? `No molecules match “${q}”.` : 'The library has no molecules yet. Add one with the form.'}
      </p>
    );
  }

  const first = (pageNumber - 1) * PAGE_SIZE + 1;
  return (
    <>
      <div className="table-wrap" aria-busy={query.isFetching}>
        <table className="data-table" data-testid="molecule-table">
          <caption>
            Molecules {items.length > 0 ? `${first}–${first + items.length - 1}` : ''}
            {q ? ` matching “${q}”` : ''}
            {query.isFetching ? <span className="muted"> · updating…</span> : null}
          </caption>
          <thead>
            <tr>
              <th scope="col">Structure</th>
              <th scope="col">Name</th>
              <th scope="col">Canonical SMILES</th>
              <th scope="col">Formula</th>
              <th scope="col" className="cell-number">
                MW <span className="unit">(g/mol)</span>
              </th>
              <th scope="col">InChIKey</th>
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
        <button type="button" className="button" onClick={goPrevious} disabled={pageNumber === 1 || query.isFetching}>
          Previous
        </button>
        <span className="pager__page">Page {pageNumber}</span>
        <button type="button" className="button" onClick={goNext} disabled={!nextCursor || query.isFetching}>
          Next
        </button>
      </nav>
    </>
  );
}

export function MoleculesPage() {
  return (
    <>
      <title>Molecules · CryoProtect</title>
      <h1>Molecules</h1>
      <div className="page-grid">
        <div className="page-grid__main">
          <FilterBox />
          <MoleculeTable />
        </div>
        <aside className="page-grid__side">
          <AddMoleculeForm />
        </aside>
      </div>
    </>
  );
}
