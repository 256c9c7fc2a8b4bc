// One formulation: the recipe as published (amount and unit), its citation and verification state,
// everything derived from it, Tg-vs-concentration curves for cited components, and exports.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiProblem, describeError, fetchMeta } from '../api.ts';
import { Link, useNavigate, useParams } from '../router.tsx';
import { CompositionChart } from './CompositionChart.tsx';
import { DerivedProperties } from './DerivedProperties.tsx';
import { VerifiedBadge } from './FormulationsPage.tsx';
import { amountText, citationText, doiUrl, roleLabel, sig } from './format.ts';
import { deleteMixture, exportUrl, getMixture, isReferenceRecipe, mixtureKeys, type MixtureDetail } from './mixture-api.ts';
import { TgCurveChart } from './TgCurveChart.tsx';
import { MixturePredictions } from '../models/MixturePredictions.tsx';
import { SharePanel, useProjectRole } from '../sharing/SharePanel.tsx';
import './mixtures.css';

function RecipeTable({ mixture }: { mixture: MixtureDetail }) {
  const lines = [...mixture.components].sort((a, b) => a.position - b.position);
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="recipe-table">
        <caption>Recipe as {mixture.source ? 'published' : 'entered'} (water is the balance)</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Component</th>
            <th scope="col">Amount</th>
            <th scope="col">Role</th>
            <th scope="col">Identifier</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((c) => (
            <tr key={c.position}>
              <td>{c.position + 1}</td>
              <th scope="row">
                {c.moleculeId ? <Link to={`/molecules/${encodeURIComponent(c.moleculeId)}`}>{c.name}</Link> : c.name}
              </th>
              <td>{amountText(c.amount, c.unit)}</td>
              <td>{roleLabel(c.role)}</td>
              <td>
                <code>{c.inchikey ?? c.componentId ?? '—'}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Facts({ mixture }: { mixture: MixtureDetail }) {
  const s = mixture.source;
  return (
    <dl className="facts">
      {mixture.description ? (
        <>
          <dt>Description</dt>
          <dd>{mixture.description}</dd>
        </>
      ) : null}
      <dt>Composition</dt>
      <dd data-testid="verified-state">
        <VerifiedBadge mixture={mixture} />
        {!mixture.verified && isReferenceRecipe(mixture) ? (
          <span className="muted"> — the recipe has not been checked against the cited paper</span>
        ) : null}
      </dd>
      <dt>Carrier</dt>
      <dd>{mixture.carrierName ?? mixture.carrier ?? <span className="muted">not stated</span>}</dd>
      <dt>Solution density</dt>
      <dd>{mixture.solutionDensity !== null ? `${sig(mixture.solutionDensity)} g/mL (measured)` : <span className="muted">not given</span>}</dd>
      <dt>Source</dt>
      <dd data-testid="mixture-source">
        {s ? (
          <>
            {citationText(s)}
            {s.doi ? (
              <>
                {' · '}
                <a href={doiUrl(s.doi)} rel="noreferrer">
                  doi:{s.doi}
                </a>
              </>
            ) : null}
          </>
        ) : (
          <span className="muted">Added by a user</span>
        )}
      </dd>
      <dt>Scope</dt>
      <dd>{mixture.projectId ? <>Project {mixture.projectId}</> : 'Public (visible to everyone)'}</dd>
    </dl>
  );
}

function TgCurves({ mixture }: { mixture: MixtureDetail }) {
  const derived = mixture.derived;
  if (!derived) return null;
  const cited = derived.glassTransition.parameters.filter((p) => p.component !== 'water' && p.tg !== null && p.k !== null);
  const charts = cited.flatMap((p) => {
    const component = derived.components.find((c) => c.key === p.component);
    return component?.inchikey ? [{ inchikey: component.inchikey, name: component.name, massFraction: component.massFraction }] : [];
  });
  return (
    <section className="section" aria-labelledby="tg-curves-heading">
      <h2 id="tg-curves-heading">Tg vs concentration</h2>
      {charts.length === 0 ? (
        <p className="muted" data-testid="no-tg-curves">
          No component of this formulation has cited Gordon–Taylor parameters (Tg and k with water), so no binary curve is drawn.
        </p>
      ) : (
        <div className="tg-charts">
          {charts.map((c) => (
            <TgCurveChart key={c.inchikey} mixtureId={mixture.id} {...c} />
          ))}
        </div>
      )}
    </section>
  );
}

function Detail({ mixture }: { mixture: MixtureDetail }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // The server decides; this only hides buttons that would certainly be refused: reference recipes need an
  // administrator, project recipes an owner or editor (a public recipe of another project is read-only here).
  const meta = useQuery({ queryKey: ['meta'], queryFn: ({ signal }) => fetchMeta(signal), staleTime: 5 * 60_000 });
  const role = useProjectRole(mixture.projectId);
  const editable = mixture.projectId === null ? meta.data?.actor?.isAdmin === true : role === 'owner' || role === 'editor';
  const remove = useMutation({
    mutationFn: () => deleteMixture(mixture.id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: mixtureKeys.detail(mixture.id) });
      // Dropped, not just marked stale: lists and comparisons must not flash old rows when they open next.
      queryClient.removeQueries({ queryKey: ['mixtures', 'list'] });
      queryClient.removeQueries({ queryKey: ['mixtures', 'compare'] });
      navigate('/formulations');
    },
  });
  const onDelete = () => {
    if (window.confirm(`Delete the formulation “${mixture.name}”? This cannot be undone.`)) remove.mutate();
  };
  return (
    <>
      <title>{`${mixture.name} · Formulations · CryoProtect`}</title>
      <h1>{mixture.name}</h1>
      <div className="toolbar">
        <a className="button" href={exportUrl(mixture.id, 'json')} download>
          Export JSON
        </a>
        <a className="button" href={exportUrl(mixture.id, 'csv')} download>
          Export CSV
        </a>
        <Link className="button" to={`/formulations/new?from=${encodeURIComponent(mixture.id)}`}>
          Copy into builder
        </Link>
        {editable ? (
          <>
            <Link className="button button--primary" to={`/formulations/${encodeURIComponent(mixture.id)}/edit`}>
              Edit
            </Link>
            <button type="button" className="button" onClick={onDelete} disabled={remove.isPending}>
              Delete
            </button>
          </>
        ) : null}
      </div>
      {remove.isError ? (
        <p className="form-error" role="alert">
          Could not delete. {describeError(remove.error)}
        </p>
      ) : null}
      <div className="mixture-overview">
        <Facts mixture={mixture} />
        {mixture.derived ? <CompositionChart derived={mixture.derived} /> : null}
      </div>
      <section className="section" aria-labelledby="recipe-heading">
        <h2 id="recipe-heading">Recipe</h2>
        <RecipeTable mixture={mixture} />
      </section>
      <section className="section" aria-labelledby="derived-heading">
        <h2 id="derived-heading">Derived quantities</h2>
        {mixture.derived ? (
          <DerivedProperties derived={mixture.derived} headingLevel={3} />
        ) : (
          <div className="form-error" role="alert" data-testid="derived-error">
            <p>The stored recipe cannot be evaluated. {mixture.derivedError?.detail ?? ''}</p>
            {mixture.derivedError && mixture.derivedError.errors.length > 0 ? (
              <ul>
                {mixture.derivedError.errors.map((e) => (
                  <li key={`${e.field}-${e.message}`}>
                    <code>{e.field}</code>: {e.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        )}
      </section>
      <TgCurves mixture={mixture} />
      <SharePanel type="mixture" resource={mixture} />
      <MixturePredictions mixtureId={mixture.id} />
    </>
  );
}

export function MixtureDetailPage() {
  const { id = '' } = useParams();
  const query = useQuery({ queryKey: mixtureKeys.detail(id), queryFn: ({ signal }) => getMixture(id, signal) });
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/formulations">Formulations</Link> <span aria-hidden="true">›</span>{' '}
        <span aria-current="page">{query.data?.name ?? 'Formulation'}</span>
      </nav>
      {query.isPending ? <p role="status">Loading formulation…</p> : null}
      {query.isError ? (
        query.error instanceof ApiProblem && query.error.status === 404 ? (
          <>
            <title>Formulation not found · CryoProtect</title>
            <h1>Formulation not found</h1>
            <p>
              There is no formulation with id <code>{id}</code> that you can see. <Link to="/formulations">Back to the list</Link>.
            </p>
          </>
        ) : (
          <>
            <h1>Formulation</h1>
            <p className="form-error" role="alert">
              Could not load this formulation. {describeError(query.error)}
            </p>
          </>
        )
      ) : null}
      {query.data ? <Detail mixture={query.data} /> : null}
    </>
  );
}
