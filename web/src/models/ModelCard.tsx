// The model card's sections (src/modules/models/card.ts: Model, Data, Validation, Uncertainty, Learning curve,
// Most important features, Y-randomization, Known limits), shown from the same stored version and evaluation.
// The Markdown file itself comes from `cryoprotect model card <id>`.
import type { Evaluation } from './evaluation.ts';
import { metricLabel, num, pct } from './format.ts';
import type { ModelVersion } from './model-api.ts';

interface TrainingSource {
  kind?: string;
  fileName?: string;
  smilesColumn?: string;
  targetColumn?: string;
  rowsInFile?: number;
  rowsSkipped?: number;
  activeBelow?: number;
}

export function trainingSourceOf(version: ModelVersion): TrainingSource {
  const s = version.trainingSource;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const n = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return {
    kind: str(s.kind), fileName: str(s.fileName), smilesColumn: str(s.smilesColumn), targetColumn: str(s.targetColumn),
    rowsInFile: n(s.rowsInFile), rowsSkipped: n(s.rowsSkipped), activeBelow: n(s.activeBelow),
  };
}

export function splitText(e: Evaluation): string {
  const s = e.split;
  let text = s.description ?? s.kind ?? 'unknown';
  if (s.nFolds) text += `, ${s.nFolds} folds`;
  if (s.nClusters) text += ` over ${s.nClusters} clusters`;
  if (s.groupsDisjoint === true) text += '; no structure appears on both sides of any fold';
  if (s.groupsDisjoint === false) text += '; WARNING: some structure appears on both sides of a fold';
  return text;
}

export function ModelCard({ version, evaluation: e }: { version: ModelVersion; evaluation: Evaluation }) {
  const source = trainingSourceOf(version);
  return (
    <details className="model-card" data-testid="model-card">
      <summary>
        Model card <span className="muted">(the Markdown file: <code>cryoprotect model card {version.id}</code>)</span>
      </summary>
      <h3>Model</h3>
      <ul>
        <li>
          Task: {version.task}
          {source.activeBelow !== undefined ? ` (active = ${source.targetColumn ?? 'target'} < ${source.activeBelow})` : ''}
        </li>
        <li>
          Algorithm: {version.algorithm}; hyperparameters: <code>{JSON.stringify(version.hyperparameters)}</code>
        </li>
        <li>
          Features ({version.featureNames.length}): {version.featureNames.slice(0, 60).join(', ')}
          {version.featureNames.length > 60 ? ', …' : ''}
        </li>
        <li>
          Seed: {version.seed}; code version: {version.codeVersion}; trained {version.createdAt}
        </li>
      </ul>
      <h3>Data</h3>
      <ul>
        <li>
          Source: {source.kind ?? 'unknown'} {source.fileName ? <code>{source.fileName}</code> : null}, structure column{' '}
          <code>{source.smilesColumn ?? '?'}</code>, target column <code>{source.targetColumn ?? '?'}</code>
        </li>
        <li>
          Rows used: {version.trainingRows}
          {source.rowsInFile !== undefined ? ` of ${source.rowsInFile} in the file (${source.rowsSkipped ?? 0} skipped with a reason)` : ''}
          {e.nGroups !== null ? `; ${e.nGroups} distinct structures (InChIKey)` : ''}
        </li>
        <li>
          Training-data SHA-256: <code className="wrap-anywhere">{version.trainingDataHash}</code>
        </li>
      </ul>
      {version.notes ? <p>{version.notes}</p> : null}
      <h3>Validation</h3>
      <p>
        Split: {splitText(e)}. All numbers are out-of-fold: each row was predicted by a model that did not see it (or its structure).
      </p>
      {e.conformal && version.task === 'regression' ? (
        <>
          <h3>Uncertainty</h3>
          <p>
            Conformal prediction intervals at nominal level {num(e.conformal.level)}: measured out-of-fold coverage {num(e.conformal.coverage)}, mean
            width {num(e.conformal.meanWidth)}.
          </p>
          {e.calibration.length > 0 ? (
            <table className="data-table data-table--compact">
              <caption>Coverage at other nominal levels</caption>
              <thead>
                <tr>
                  <th scope="col" className="cell-number">nominal</th>
                  <th scope="col" className="cell-number">measured</th>
                </tr>
              </thead>
              <tbody>
                {e.calibration.map((c) => (
                  <tr key={c.level}>
                    <td className="cell-number">{pct(c.level)}</td>
                    <td className="cell-number">{pct(c.coverage)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : null}
      {e.domainThreshold !== null ? (
        <p>
          Applicability domain: nearest-neighbour Tanimoto similarity to the training structures; inputs below {num(e.domainThreshold)} are flagged out
          of domain{e.outOfDomainFraction !== null ? ` (${num(e.outOfDomainFraction * 100)} % of out-of-fold rows were)` : ''}.
        </p>
      ) : null}
      {e.learningCurve.length > 0 ? (
        <table className="data-table data-table--compact">
          <caption>Learning curve</caption>
          <thead>
            <tr>
              <th scope="col" className="cell-number">training rows</th>
              <th scope="col" className="cell-number">{e.learningMetric ? metricLabel(e.learningMetric) : 'metric'}</th>
            </tr>
          </thead>
          <tbody>
            {e.learningCurve.map((p) => (
              <tr key={p.nTrain}>
                <td className="cell-number">{p.nTrain}</td>
                <td className="cell-number">{num(p.metric)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {e.featureImportance.length > 0 ? (
        <table className="data-table data-table--compact">
          <caption>Most important features</caption>
          <thead>
            <tr>
              <th scope="col">feature</th>
              <th scope="col" className="cell-number">importance</th>
            </tr>
          </thead>
          <tbody>
            {[...e.featureImportance].sort((a, b) => b.importance - a.importance).slice(0, 15).map((f) => (
              <tr key={f.name}>
                <td>{f.name}</td>
                <td className="cell-number">{num(f.importance)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {e.yRandomization ? (
        <>
          <h3>Y-randomization</h3>
          <p>
            With shuffled targets on the same folds{e.yRandomization.rounds !== null ? ` (${e.yRandomization.rounds} rounds)` : ''} the {e.yRandomization.metric ? metricLabel(e.yRandomization.metric) : 'metric'} was{' '}
            {num(e.yRandomization.permutedMean)} ± {num(e.yRandomization.permutedSd)} against {num(e.yRandomization.observed)} for the real targets
            (p = {num(e.yRandomization.pValue)}).
          </p>
        </>
      ) : null}
      {e.kinetic ? (
        <>
          <h3>Fitted kinetic parameters</h3>
          <p>
            {e.kinetic.converged === false ? 'The fit did not converge. ' : ''}
            {e.kinetic.foldsFailed ? `${e.kinetic.foldsFailed} cross-validation folds could not be fitted. ` : ''}
            As stored (rates per minute; exponents of molality):
          </p>
          <pre className="model-card__json">{JSON.stringify(e.kinetic.parameters, null, 2)}</pre>
          {Array.isArray(e.kinetic.notIdentified) && e.kinetic.notIdentified.length > 0 ? (
            <p>Not identified by the data: <code>{JSON.stringify(e.kinetic.notIdentified)}</code></p>
          ) : null}
        </>
      ) : null}
      <h3>Known limits</h3>
      <ul>
        {e.limits.map((l) => (
          <li key={l}>{l}</li>
        ))}
        <li>Predictions outside the applicability domain are extrapolations; treat their intervals with caution.</li>
        <li>Interval coverage is measured on exchangeable out-of-fold data; a shift in chemistry or assay breaks that guarantee.</li>
      </ul>
    </details>
  );
}
