import { useQuery } from '@tanstack/react-query';
import { ApiProblem, describeError } from '../api.ts';
import { Link, useParams } from '../router.tsx';
import { Formula } from './Formula.tsx';
import { depictionUrl, displayName, formatMass, getMolecule, LARGE_DEPICTION, moleculeKeys, type Molecule } from './molecule-api.ts';

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Four significant figures without padding zeros: 0.05774, 3.333, 92.09, 14. */
function formatDescriptor(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

function Descriptors({ descriptors }: { descriptors: Record<string, number> }) {
  const entries = Object.entries(descriptors).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return null;
  return (
    <section aria-labelledby="descriptors-heading">
      <h2 id="descriptors-heading">Descriptors</h2>
      <dl className="descriptor-grid">
        {entries.map(([key, value]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd>{formatDescriptor(value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function SourceText({ molecule }: { molecule: Molecule }) {
  const source = molecule.source;
  if (!source) return <span className="muted">Added by a user</span>;
  return (
    <>
      {source.title}
      {source.year ? ` (${source.year})` : ''}
      {source.doi ? (
        <>
          {' · '}
          <a href={`https://doi.org/${encodeURI(source.doi)}`} rel="noreferrer">
            doi:{source.doi}
          </a>
        </>
      ) : null}
    </>
  );
}

function StandardizationNote({ molecule }: { molecule: Molecule }) {
  const report = molecule.standardization;
  if (!report || !report.changed) return null;
  return (
    <section aria-labelledby="standardization-heading" className="panel">
      <h2 id="standardization-heading">Standardization</h2>
      <p>
        Submitted as <code className="wrap-anywhere">{report.input}</code> and standardized before storing:
      </p>
      <ul>
        {report.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
        {report.strippedFragments.map((fragment) => (
          <li key={`fragment-${fragment}`}>
            Removed fragment <code>{fragment}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}

function MoleculeDetail({ molecule }: { molecule: Molecule }) {
  const label = displayName(molecule);
  return (
    <>
      <title>{`${label} · Molecules · CryoProtect`}</title>
      <h1>{label}</h1>
      <div className="detail">
        <figure className="detail__depiction">
          <img
            src={depictionUrl(molecule.id, LARGE_DEPICTION)}
            alt={`Structure of ${label}`}
            width={LARGE_DEPICTION.width}
            height={LARGE_DEPICTION.height}
          />
        </figure>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{molecule.name ?? <span className="muted">Unnamed</span>}</dd>
          {molecule.synonyms && molecule.synonyms.length > 0 ? (
            <>
              <dt>Synonyms</dt>
              <dd>{molecule.synonyms.join(', ')}</dd>
            </>
          ) : null}
          <dt>Canonical SMILES</dt>
          <dd>
            <code>{molecule.canonicalSmiles}</code>
          </dd>
          <dt>Formula</dt>
          <dd>
            <Formula formula={molecule.formula} />
          </dd>
          <dt>Molecular weight</dt>
          <dd>{formatMass(molecule.molecularWeight)} g/mol</dd>
          <dt>Exact mass</dt>
          <dd>{Number.isFinite(molecule.exactMass) ? molecule.exactMass.toFixed(4) : '—'} Da</dd>
          <dt>InChIKey</dt>
          <dd>
            <code>{molecule.inchikey}</code>
          </dd>
          <dt>InChI</dt>
          <dd>
            <code className="wrap-anywhere">{molecule.inchi}</code>
          </dd>
          <dt>Source</dt>
          <dd>
            <SourceText molecule={molecule} />
          </dd>
          <dt>Scope</dt>
          <dd>{molecule.projectId ? <>Project {molecule.projectId}</> : 'Public reference library'}</dd>
          <dt>Added</dt>
          <dd>
            <time dateTime={molecule.createdAt}>{formatDate(molecule.createdAt)}</time>
          </dd>
        </dl>
      </div>
      <StandardizationNote molecule={molecule} />
      {molecule.descriptors ? <Descriptors descriptors={molecule.descriptors} /> : null}
    </>
  );
}

export function MoleculeDetailPage() {
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: moleculeKeys.detail(id),
    queryFn: ({ signal }) => getMolecule(id, signal),
  });

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/molecules">Molecules</Link> <span aria-hidden="true">›</span>{' '}
        <span aria-current="page">{query.data ? displayName(query.data) : 'Molecule'}</span>
      </nav>
      {query.isPending ? <p role="status">Loading molecule…</p> : null}
      {query.isError ? (
        query.error instanceof ApiProblem && query.error.status === 404 ? (
          <>
            <title>Molecule not found · CryoProtect</title>
            <h1>Molecule not found</h1>
            <p>
              There is no molecule with id <code>{id}</code>. <Link to="/molecules">Back to the molecule list</Link>.
            </p>
          </>
        ) : (
          <>
            <h1>Molecule</h1>
            <p className="form-error" role="alert">
              Could not load this molecule. {describeError(query.error)}
            </p>
          </>
        )
      ) : null}
      {query.data ? <MoleculeDetail molecule={query.data} /> : null}
    </>
  );
}
