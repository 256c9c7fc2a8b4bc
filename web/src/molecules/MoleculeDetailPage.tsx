// One molecule: depiction, identifiers with links out, key and full descriptors, the standardization report,
// cited measured properties from the reference data, and the most similar molecules in the registry.
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiProblem, describeError } from '../api.ts';
import { Link, useParams } from '../router.tsx';
import { VisibilityPanel } from '../sharing/SharePanel.tsx';
import { Formula } from './Formula.tsx';
import {
  depictionUrl, displayName, formatMass, formatOptional, getMeasuredProperties, getMolecule, LARGE_DEPICTION, moleculeKeys,
  similarMolecules, THUMBNAIL, type MeasuredProperty, type Molecule,
} from './molecule-api.ts';
import '../auth/auth.css';
import './molecules.css';

const SIMILAR_COUNT = 10;

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
    <section aria-labelledby="descriptors-heading" className="detail-section">
      <h2 id="descriptors-heading">All descriptors</h2>
      <p className="hint">RDKit descriptor set and CPA functional-group counts, as stored.</p>
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
  if (!report) return null;
  if (!report.changed) {
    return (
      <section aria-labelledby="standardization-heading" className="panel detail-section">
        <h2 id="standardization-heading">Standardization</h2>
        <p>
          Submitted as <code className="wrap-anywhere">{report.input}</code>; standardization (largest organic fragment,
          neutralization, stereo kept) changed nothing.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="standardization-heading" className="panel detail-section">
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

function Identifiers({ molecule }: { molecule: Molecule }) {
  const ids = molecule.identifiers;
  const links = molecule.links ?? [];
  return (
    <section aria-labelledby="identifiers-heading" className="detail-section">
      <h2 id="identifiers-heading">Identifiers and links</h2>
      <dl className="identifier-facts">
        <dt>PubChem CID</dt>
        <dd>{ids?.pubchemCid ?? <span className="muted">not recorded</span>}</dd>
        <dt>ChEMBL ID</dt>
        <dd>{ids?.chemblId ?? <span className="muted">not recorded</span>}</dd>
        <dt>CAS RN</dt>
        <dd>{ids?.cas ?? <span className="muted">not recorded</span>}</dd>
        {links.length > 0 ? (
          <>
            <dt>Look up</dt>
            <dd>
              <ul className="link-list">
                {links.map((link) => (
                  <li key={link.url}>
                    <a href={link.url} rel="noreferrer" target="_blank">
                      {link.label}
                      <span className="visually-hidden"> (opens in a new tab)</span>
                    </a>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

const PROPERTY_LABELS: Record<string, string> = {
  density: 'Density',
  molar_mass: 'Molar mass',
  tg: 'Glass transition Tg',
  gt_tg: 'Gordon–Taylor Tg (with water)',
  gt_k: 'Gordon–Taylor k (with water)',
};

const EVIDENCE_LABELS: Record<MeasuredProperty['evidence'], string> = {
  V: 'seen in the retrieved source',
  L: 'cited; source text not retrieved — check before relying on it',
  C: 'computed (see conditions)',
};

type Source = MeasuredProperty['source'];

/** "Koop et al. 2011": the first author's family name, as a reader scanning a table recognizes a reference. */
function shortCitation(source: Source): string {
  const authors = source.authors.split(/[,;]/).map((a) => a.trim()).filter((a) => a !== '');
  const first = authors[0]?.split(/\s+/)[0];
  const who = first ? `${first}${authors.length > 1 ? ' et al.' : ''}` : source.title;
  return source.year ? `${who} ${source.year}` : who;
}

function SourceLink({ source, children }: { source: Source; children: ReactNode }) {
  if (source.doi) return <a href={`https://doi.org/${encodeURI(source.doi)}`} rel="noreferrer">{children}</a>;
  if (source.url) return <a href={source.url} rel="noreferrer">{children}</a>;
  return <>{children}</>;
}

function FullCitation({ source }: { source: Source }) {
  return (
    <>
      {source.authors ? `${source.authors}${source.year ? ` (${source.year})` : ''}. ` : null}
      {source.title}
      {source.journal ? <span className="muted">. {source.journal}</span> : null}
      {source.doi ? (
        <>
          {' · '}
          <SourceLink source={source}>doi:{source.doi}</SourceLink>
        </>
      ) : source.url ? (
        <>
          {' · '}
          <SourceLink source={source}>source</SourceLink>
        </>
      ) : null}
    </>
  );
}

function MeasuredProperties({ molecule }: { molecule: Molecule }) {
  const query = useQuery({
    queryKey: moleculeKeys.properties(molecule.id),
    queryFn: ({ signal }) => getMeasuredProperties(molecule.id, signal),
  });
  return (
    <section aria-labelledby="properties-heading" className="detail-section">
      <h2 id="properties-heading">Measured properties</h2>
      {query.isPending ? <p role="status">Loading measured properties…</p> : null}
      {query.isError ? (
        <p className="form-error" role="alert">
          Could not load measured properties. {describeError(query.error)}
        </p>
      ) : null}
      {query.data && query.data.length === 0 ? (
        <p className="empty">The reference data has no cited measurements for this structure.</p>
      ) : null}
      {query.data && query.data.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table" data-testid="measured-properties">
            <caption className="visually-hidden">Cited property values for {displayName(molecule)}</caption>
            <thead>
              <tr>
                <th scope="col">Property</th>
                <th scope="col" className="cell-number">Value</th>
                <th scope="col">Conditions</th>
                <th scope="col">
                  <abbr title="V: seen in the source; L: cited, source not retrieved; C: computed">Evidence</abbr>
                </th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {query.data.map((p, i) => (
                <tr key={`${p.property}-${i}`}>
                  <th scope="row">
                    {PROPERTY_LABELS[p.property] ?? p.property}
                    {p.usedInCalculations ? <span className="badge badge--used" title="The value formulation calculations use">used</span> : null}
                  </th>
                  <td className="cell-number">
                    {p.value} {p.unit !== '1' ? p.unit : ''}
                  </td>
                  <td>{p.conditions}</td>
                  <td>
                    <abbr title={EVIDENCE_LABELS[p.evidence]}>{p.evidence}</abbr>
                  </td>
                  <td className="cell-citation">
                    <SourceLink source={p.source}>{shortCitation(p.source)}</SourceLink>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {query.data && query.data.length > 0 ? (
        <>
          <h3 id="property-sources-heading">Sources</h3>
          <ul className="property-sources" aria-labelledby="property-sources-heading">
            {[...new Map(query.data.map((p) => [p.source.id, p.source])).values()].map((source) => (
              <li key={source.id}>
                <FullCitation source={source} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function SimilarMolecules({ molecule }: { molecule: Molecule }) {
  const query = useQuery({
    queryKey: moleculeKeys.similar(molecule.id),
    queryFn: () => similarMolecules(molecule, SIMILAR_COUNT),
  });
  return (
    <section aria-labelledby="similar-heading" className="detail-section">
      <h2 id="similar-heading">Similar molecules</h2>
      <p className="hint">
        The {SIMILAR_COUNT} most similar molecules you can see, by Tanimoto similarity of Morgan fingerprints (radius 2, 2048 bits).{' '}
        <Link to={`/molecules/search?mode=similarity&q=${encodeURIComponent(molecule.canonicalSmiles)}`}>Search with other settings</Link>
      </p>
      {query.isPending ? <p role="status">Looking for similar molecules…</p> : null}
      {query.isError ? (
        <p className="form-error" role="alert">
          Could not search for similar molecules. {describeError(query.error)}
        </p>
      ) : null}
      {query.data && query.data.length === 0 ? <p className="empty">No other molecules to compare with.</p> : null}
      {query.data && query.data.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table" data-testid="similar-molecules">
            <caption className="visually-hidden">Molecules most similar to {displayName(molecule)}</caption>
            <thead>
              <tr>
                <th scope="col">Structure</th>
                <th scope="col">Name</th>
                <th scope="col">Canonical SMILES</th>
                <th scope="col" className="cell-number">MW <span className="unit">(g/mol)</span></th>
                <th scope="col" className="cell-number">Similarity</th>
              </tr>
            </thead>
            <tbody>
              {query.data.map((hit) => (
                <tr key={hit.id}>
                  <td className="cell-depiction">
                    <img src={depictionUrl(hit.id, THUMBNAIL)} alt={`Structure of ${displayName(hit)}`} width={120} height={80} loading="lazy" decoding="async" />
                  </td>
                  <th scope="row">
                    <Link to={`/molecules/${hit.id}`}>{displayName(hit)}</Link>
                  </th>
                  <td className="cell-smiles">
                    <code>{hit.canonicalSmiles}</code>
                  </td>
                  <td className="cell-number">{formatMass(hit.molecularWeight)}</td>
                  <td className="cell-number">{formatOptional(hit.similarity, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
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
          <dt>cLogP · TPSA</dt>
          <dd>
            {formatOptional(molecule.clogp, 2)} · {formatOptional(molecule.tpsa, 1)} Å²
          </dd>
          <dt>H-bond donors / acceptors</dt>
          <dd>
            {formatOptional(molecule.hbd, 0)} / {formatOptional(molecule.hba, 0)}
          </dd>
          <dt>Polar groups</dt>
          <dd>
            {formatOptional(molecule.polarGroupTotal, 0)} <span className="muted">(hydroxyl + amide + sulfoxide)</span>
          </dd>
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
      <Identifiers molecule={molecule} />
      <VisibilityPanel type="molecule" resource={molecule} />
      <StandardizationNote molecule={molecule} />
      <MeasuredProperties molecule={molecule} />
      <SimilarMolecules molecule={molecule} />
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
