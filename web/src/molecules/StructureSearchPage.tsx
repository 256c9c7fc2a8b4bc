// Structure search: a SMILES/SMARTS query with a live depiction while typing, similarity (threshold slider and
// top-k) or substructure mode, and a results table whose depictions highlight the substructure matches.
// The submitted search is in the URL (?mode=&q=&threshold=&limit=), so reload and Back repeat it.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiProblem, describeError } from '../api.ts';
import { Link, useSearchParams } from '../router.tsx';
import {
  depictionUrl, depictSmiles, displayName, formatMass, formatOptional, moleculeKeys, searchStructures, SMALL_DEPICTION, THUMBNAIL,
  type SearchResult, type StructureSearchRequest,
} from './molecule-api.ts';
import { MoleculeSectionNav } from './MoleculeSectionNav.tsx';
import '../auth/auth.css';
import './molecules.css';

type Mode = StructureSearchRequest['mode'];

const DEPICT_DELAY_MS = 300;
const DEFAULT_THRESHOLD = 0.3;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;
const EXAMPLES: { query: string; mode: Mode; label: string }[] = [
  { query: 'OCCO', mode: 'similarity', label: 'ethylene glycol' },
  { query: '[OX2H][CX4][CX4][OX2H]', mode: 'substructure', label: 'vicinal diol (SMARTS)' },
  { query: 'CS(C)=O', mode: 'substructure', label: 'DMSO' },
  { query: 'NC=O', mode: 'substructure', label: 'amide' },
];

interface SearchForm {
  mode: Mode;
  query: string;
  threshold: number;
  limit: number;
}

function clampNumber(text: string | null, min: number, max: number, fallback: number, integer: boolean): number {
  const value = Number(text);
  if (text === null || text.trim() === '' || !Number.isFinite(value)) return fallback;
  const clamped = Math.min(max, Math.max(min, value));
  return integer ? Math.round(clamped) : clamped;
}

/** The submitted search, read from the URL; null when there is none yet. */
function readSearch(params: URLSearchParams): SearchForm & { submitted: boolean } {
  const query = (params.get('q') ?? '').trim();
  return {
    mode: params.get('mode') === 'substructure' ? 'substructure' : 'similarity',
    query,
    threshold: clampNumber(params.get('threshold'), 0, 1, DEFAULT_THRESHOLD, false),
    limit: clampNumber(params.get('limit'), 1, MAX_LIMIT, DEFAULT_LIMIT, true),
    submitted: query !== '',
  };
}

function toRequest(form: SearchForm): StructureSearchRequest {
  return form.mode === 'similarity'
    ? { mode: 'similarity', smiles: form.query, threshold: form.threshold, limit: form.limit }
    : { mode: 'substructure', query: form.query, limit: form.limit };
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/** The drawing of what is being typed, or why it cannot be drawn. */
function LiveDepiction({ text, mode }: { text: string; mode: Mode }) {
  const settled = useDebounced(text.trim(), DEPICT_DELAY_MS);
  const query = useQuery({
    queryKey: ['depict', settled],
    queryFn: ({ signal }) => depictSmiles(settled, SMALL_DEPICTION, signal),
    enabled: settled !== '',
    retry: false,
    staleTime: Infinity,
  });
  const typing = settled !== text.trim();
  let body;
  if (settled === '') {
    body = <p className="muted">Type a SMILES or SMARTS to see it drawn.</p>;
  } else if (query.isError) {
    const detail = query.error instanceof ApiProblem ? (query.error.detail ?? query.error.title) : describeError(query.error);
    // In substructure mode a query is usually SMARTS, which is not meant to be drawable as a molecule.
    body = mode === 'substructure' ? (
      <p className="muted">
        Cannot be drawn as a molecule: it is not valid SMILES. A substructure query is read as SMARTS first, so it may still
        be a valid query; searching will tell.
      </p>
    ) : (
      <p className="field-error">Not a valid SMILES: {detail}</p>
    );
  } else if (query.data) {
    body = <img src={query.data} alt={`Drawing of ${settled}`} width={SMALL_DEPICTION.width} height={SMALL_DEPICTION.height} />;
  } else {
    body = <p className="muted">Drawing…</p>;
  }
  return (
    <figure className="live-depiction" data-testid="query-depiction" aria-busy={typing || query.isFetching}>
      <div aria-live="polite">{body}</div>
      <figcaption className="hint">Live drawing of the query as typed (not standardized).</figcaption>
    </figure>
  );
}

function ResultsTable({ result, search }: { result: SearchResult; search: SearchForm }) {
  const similarity = search.mode === 'similarity';
  const caption = similarity
    ? `${result.total} molecule${result.total === 1 ? '' : 's'} with similarity ≥ ${search.threshold.toFixed(2)} to ${search.query}` +
      (result.total > result.items.length ? `; the ${result.items.length} most similar are shown` : '')
    : `${result.total} molecule${result.total === 1 ? '' : 's'} contain ${search.query}` +
      (result.total > result.items.length ? `; the first ${result.items.length} are shown` : '');
  if (result.items.length === 0) {
    return (
      <p className="empty" role="status" data-testid="search-results-empty">
        {similarity
          ? `No molecule has a similarity of at least ${search.threshold.toFixed(2)} to ${search.query}. Lower the threshold to see more.`
          : `No molecule contains ${search.query}.`}
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="search-results">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Structure</th>
            <th scope="col">Name</th>
            <th scope="col">Canonical SMILES</th>
            <th scope="col" className="cell-number">MW <span className="unit">(g/mol)</span></th>
            {similarity ? <th scope="col" className="cell-number">Similarity</th> : null}
          </tr>
        </thead>
        <tbody>
          {result.items.map((hit) => {
            const label = displayName(hit);
            return (
              <tr key={hit.id}>
                <td className="cell-depiction">
                  <img
                    src={depictionUrl(hit.id, THUMBNAIL, similarity ? undefined : search.query)}
                    alt={similarity ? `Structure of ${label}` : `Structure of ${label}, matches of ${search.query} highlighted`}
                    width={120}
                    height={80}
                    loading="lazy"
                    decoding="async"
                  />
                </td>
                <th scope="row">
                  <Link to={`/molecules/${hit.id}`}>{label}</Link>
                </th>
                <td className="cell-smiles">
                  <code>{hit.canonicalSmiles}</code>
                </td>
                <td className="cell-number">{formatMass(hit.molecularWeight)}</td>
                {similarity ? <td className="cell-number">{formatOptional(hit.similarity, 3)}</td> : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function StructureSearchPage() {
  const [params, setParams] = useSearchParams();
  const submitted = readSearch(params);
  const [form, setForm] = useState<SearchForm>(submitted);
  const ids = { query: useId(), queryError: useId(), queryHint: useId(), threshold: useId(), limit: useId() };
  const urlKey = params.toString();

  // Back/Forward or a link changes the submitted search; the form follows it.
  useEffect(() => {
    const next = readSearch(new URLSearchParams(urlKey));
    setForm({ mode: next.mode, query: next.query, threshold: next.threshold, limit: next.limit });
  }, [urlKey]);

  const request = submitted.submitted ? toRequest(submitted) : null;
  const results = useQuery({
    queryKey: moleculeKeys.search(request ?? { mode: 'substructure', query: '', limit: 0 }),
    queryFn: () => searchStructures(request as StructureSearchRequest),
    enabled: request !== null,
    retry: false,
  });

  const problem = results.error instanceof ApiProblem ? results.error : null;
  // A rejected query (422 invalid structure, 400 schema) belongs next to the query field.
  const queryError = problem && problem.status < 500 ? (problem.detail ?? problem.title) : null;
  const formStale = form.query.trim() !== submitted.query || form.mode !== submitted.mode;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const query = form.query.trim();
    if (!query) return;
    setParams({
      mode: form.mode,
      q: query,
      threshold: form.mode === 'similarity' ? form.threshold.toFixed(2) : null,
      limit: String(form.limit),
    });
  };

  return (
    <>
      <title>Structure search · Molecules · CryoProtect</title>
      <h1>Structure search</h1>
      <MoleculeSectionNav />
      <div className="search-layout">
        <form className="panel form structure-search" onSubmit={submit} role="search" aria-label="Structure search">
          <fieldset className="mode-choice">
            <legend>Find</legend>
            <label className="inline-label">
              <input type="radio" name="mode" value="similarity" checked={form.mode === 'similarity'} onChange={() => setForm({ ...form, mode: 'similarity' })} />
              Similar molecules
            </label>
            <label className="inline-label">
              <input type="radio" name="mode" value="substructure" checked={form.mode === 'substructure'} onChange={() => setForm({ ...form, mode: 'substructure' })} />
              Molecules containing a substructure
            </label>
          </fieldset>
          <div className="field">
            <label htmlFor={ids.query}>{form.mode === 'similarity' ? 'Query structure (SMILES)' : 'Substructure (SMARTS or SMILES)'}</label>
            <input
              id={ids.query}
              name="smiles"
              type="text"
              required
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="off"
              value={form.query}
              onChange={(e) => setForm({ ...form, query: e.target.value })}
              aria-invalid={queryError && !formStale ? true : undefined}
              aria-describedby={queryError && !formStale ? `${ids.queryError} ${ids.queryHint}` : ids.queryHint}
              placeholder={form.mode === 'similarity' ? 'e.g. OCCO' : 'e.g. [OX2H][CX4][CX4][OX2H]'}
            />
            {queryError && !formStale ? (
              <p id={ids.queryError} className="field-error">
                {queryError}
              </p>
            ) : null}
            <p id={ids.queryHint} className="hint">
              {form.mode === 'similarity'
                ? 'Tanimoto similarity of Morgan fingerprints (radius 2, 2048 bits).'
                : 'Read as SMARTS first (so [OX2H] means a hydroxyl oxygen), as SMILES otherwise. Matches are highlighted.'}
            </p>
          </div>
          {form.mode === 'similarity' ? (
            <div className="field">
              <label htmlFor={ids.threshold}>
                Minimum similarity: <output htmlFor={ids.threshold}>{form.threshold.toFixed(2)}</output>
              </label>
              <input
                id={ids.threshold}
                type="range"
                min={0}
                max={1}
                step={0.05}
                value={form.threshold}
                onChange={(e) => setForm({ ...form, threshold: Number(e.target.value) })}
                aria-valuetext={form.threshold.toFixed(2)}
              />
            </div>
          ) : null}
          <div className="field field--narrow">
            <label htmlFor={ids.limit}>{form.mode === 'similarity' ? 'Show the top' : 'Show at most'}</label>
            <input
              id={ids.limit}
              type="number"
              min={1}
              max={MAX_LIMIT}
              step={1}
              required
              value={form.limit}
              onChange={(e) => setForm({ ...form, limit: clampNumber(e.target.value, 1, MAX_LIMIT, DEFAULT_LIMIT, true) })}
            />
          </div>
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={form.query.trim() === ''}>
              Search
            </button>
          </div>
          <p className="hint">
            Examples:{' '}
            {EXAMPLES.map((example, i) => (
              <span key={example.query}>
                {i > 0 ? ' · ' : null}
                <button type="button" className="button--link" onClick={() => setForm({ ...form, mode: example.mode, query: example.query })}>
                  <code>{example.query}</code>
                </button>{' '}
                <span className="muted">({example.label})</span>
              </span>
            ))}
          </p>
        </form>
        <LiveDepiction text={form.query} mode={form.mode} />
      </div>

      <section aria-labelledby="results-heading" className="detail-section">
        <h2 id="results-heading">Results</h2>
        {!request ? <p className="muted">Results appear here after a search.</p> : null}
        {request && results.isPending ? <p role="status">Searching…</p> : null}
        {request && results.isError && !queryError ? (
          <p className="form-error" role="alert">
            The search failed. {describeError(results.error)}
          </p>
        ) : null}
        {request && results.isError && queryError ? (
          <p className="form-error" role="alert" data-testid="search-error">
            No results: the query was not accepted. {formStale ? queryError : 'The reason is under the query field.'}
          </p>
        ) : null}
        {results.data && request ? <ResultsTable result={results.data} search={submitted} /> : null}
      </section>
    </>
  );
}
