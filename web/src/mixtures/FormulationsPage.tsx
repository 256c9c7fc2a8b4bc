// The formulation list: reference vitrification solutions and your own, filterable, with a
// selection of up to four to compare side by side. Filter and scope live in the URL.
import { useEffect, useId, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { Link, useNavigate, useSearchParams } from '../router.tsx';
import { citationText, doiUrl } from './format.ts';
import { isReferenceRecipe, listMixtures, mixtureKeys, PAGE_SIZE, type MixtureScope, type MixtureSummary } from './mixture-api.ts';
import './mixtures.css';

const FILTER_DELAY_MS = 300;
export const MAX_COMPARE = 4;

const SCOPES: { value: MixtureScope; label: string }[] = [
  { value: 'all', label: 'All formulations' },
  { value: 'reference', label: 'Reference solutions' },
  { value: 'mine', label: 'Mine' },
];

function scopeOf(value: string | null): MixtureScope {
  return value === 'reference' || value === 'mine' ? value : 'all';
}

/** Whether a recipe's composition was checked against its source; user-built recipes have nothing to check. */
export function VerifiedBadge({ mixture }: { mixture: Pick<MixtureSummary, 'verified' | 'projectId' | 'source'> }) {
  if (mixture.verified) return <span className="badge badge--verified">composition verified</span>;
  if (!isReferenceRecipe(mixture)) return <span className="muted">built here</span>;
  return (
    <span className="badge badge--unverified" title="The composition has not been checked against the cited paper">
      composition unverified
    </span>
  );
}

function SourceCell({ mixture }: { mixture: MixtureSummary }) {
  const s = mixture.source;
  if (!s) return <span className="muted">Added by a user</span>;
  return (
    <span className="citation">
      {citationText(s)}
      {s.doi ? (
        <>
          {' · '}
          <a href={doiUrl(s.doi)} rel="noreferrer">
            doi:{s.doi}
          </a>
        </>
      ) : null}
    </span>
  );
}

function Toolbar({ selected, onCompare }: { selected: readonly string[]; onCompare: () => void }) {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const scope = scopeOf(params.get('scope'));
  const [draft, setDraft] = useState(q);
  const filterId = useId();
  const scopeId = useId();

  useEffect(() => {
    setDraft((current) => (current.trim() === q ? current : q));
  }, [q]);

  useEffect(() => {
    const wanted = draft.trim();
    if (wanted === q) return;
    const timer = setTimeout(() => setParams({ q: wanted }, { replace: true }), FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, q, setParams]);

  return (
    <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor={filterId}>Filter formulations</label>
      <input id={filterId} type="search" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="Name" autoComplete="off" />
      <label htmlFor={scopeId}>Show</label>
      <select id={scopeId} value={scope} onChange={(e) => setParams({ scope: e.target.value === 'all' ? null : e.target.value })}>
        {SCOPES.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
      <span className="toolbar__spacer" />
      <button type="button" className="button" disabled={selected.length < 2} onClick={onCompare}>
        Compare selected ({selected.length})
      </button>
      <Link to="/formulations/new" className="button button--primary">
        New formulation
      </Link>
    </form>
  );
}

function MixtureTable({ selected, onToggle }: { selected: readonly string[]; onToggle: (id: string) => void }) {
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const scope = scopeOf(params.get('scope'));
  const [trail, setTrail] = useState<{ key: string; cursors: (string | null)[] }>({ key: `${scope}|${q}`, cursors: [null] });
  const cursors = trail.key === `${scope}|${q}` ? trail.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;
  const pageNumber = cursors.length;

  const query = useQuery({
    queryKey: mixtureKeys.list(q, scope, cursor),
    queryFn: ({ signal }) => listMixtures(q, scope, cursor, signal),
    placeholderData: keepPreviousData,
  });

  if (query.isPending) return <p role="status">Loading formulations…</p>;
  if (query.isError) {
    return (
      <div className="form-error" role="alert">
        <p>Could not load formulations. {describeError(query.error)}</p>
        <button type="button" className="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  const { items, nextCursor } = query.data;
  if (items.length === 0 && pageNumber === 1) {
    return (
      <p className="empty" role="status">
        {q ? `No formulations match “${q}”.` : scope === 'mine' ? 'You have no formulations yet.' : 'There are no formulations yet.'}{' '}
        <Link to="/formulations/new">Build one</Link>.
      </p>
    );
  }
  const first = (pageNumber - 1) * PAGE_SIZE + 1;
  const key = `${scope}|${q}`;
  return (
    <>
      <div className="table-wrap" aria-busy={query.isFetching}>
        <table className="data-table" data-testid="mixture-table">
          <caption>
            Formulations {first}–{first + items.length - 1}
            {q ? ` matching “${q}”` : ''} · select up to {MAX_COMPARE} to compare
          </caption>
          <thead>
            <tr>
              <th scope="col" className="cell-check">
                <span className="visually-hidden">Compare</span>
              </th>
              <th scope="col">Name</th>
              <th scope="col" className="cell-number">
                Components
              </th>
              <th scope="col">Composition</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => {
              const checked = selected.includes(m.id);
              return (
                <tr key={m.id}>
                  <td className="cell-check">
                    <input
                      type="checkbox"
                      checked={checked}
                      disabled={!checked && selected.length >= MAX_COMPARE}
                      onChange={() => onToggle(m.id)}
                      aria-label={`Select ${m.name} for comparison`}
                    />
                  </td>
                  <th scope="row">
                    <Link to={`/formulations/${encodeURIComponent(m.id)}`}>{m.name}</Link>
                    {m.description ? <div className="muted citation">{m.description}</div> : null}
                  </th>
                  <td className="cell-number">{m.componentCount}</td>
                  <td>
                    <VerifiedBadge mixture={m} />
                  </td>
                  <td>
                    <SourceCell mixture={m} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Formulation pages">
        <button
          type="button"
          className="button"
          onClick={() => setTrail({ key, cursors: cursors.slice(0, -1) })}
          disabled={pageNumber === 1 || query.isFetching}
        >
          Previous
        </button>
        <span className="pager__page">Page {pageNumber}</span>
        <button
          type="button"
          className="button"
          onClick={() => nextCursor && setTrail({ key, cursors: [...cursors, nextCursor] })}
          disabled={!nextCursor || query.isFetching}
        >
          Next
        </button>
      </nav>
    </>
  );
}

export function FormulationsPage() {
  const [selected, setSelected] = useState<string[]>([]);
  const navigate = useNavigate();
  const toggle = (id: string) =>
    setSelected((current) =>
      current.includes(id) ? current.filter((x) => x !== id) : current.length >= MAX_COMPARE ? current : [...current, id],
    );
  const compare = () => navigate(`/formulations/compare?ids=${selected.map(encodeURIComponent).join(',')}`);
  return (
    <>
      <title>Formulations · CryoProtect</title>
      <h1>Formulations</h1>
      <p className="lead">
        Reference vitrification solutions with their published recipes and citations, and the formulations you build. Derived
        quantities are recomputed from each recipe with the stated assumptions.
      </p>
      <Toolbar selected={selected} onCompare={compare} />
      <MixtureTable selected={selected} onToggle={toggle} />
    </>
  );
}
