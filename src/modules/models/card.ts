/**
 * A model card in Markdown, generated from a stored version and its evaluation only: every number in it is one
 * the code produced and the database holds, so a card can be regenerated and checked at any time.
 */
import type { VersionDetail } from './service.ts';

interface EvaluationShape {
  n?: number;
  nGroups?: number;
  seed?: number;
  split?: { kind?: string; nFolds?: number; nClusters?: number; groupsDisjoint?: boolean | null; foldTestSizes?: number[]; description?: string };
  metrics?: Record<string, unknown>;
  baselines?: Record<string, Record<string, unknown>>;
  conformal?: { level?: number; coverage?: number; meanWidth?: number };
  calibration?: { level: number; coverage: number }[];
  learningCurve?: { nTrain: number; metric: number; metricName?: string }[];
  featureImportance?: { name: string; importance: number }[];
  yRandomization?: { metric?: string; observed?: number | null; permutedMean?: number | null; permutedSd?: number | null; pValue?: number; rounds?: number } | null;
  baselineComparisons?: Record<string, { feature: string; g: number | null; model: Record<string, unknown>; baseline: Record<string, unknown> }>;
  featureImportanceMethod?: string | null;
  domain?: { threshold?: number; outOfDomainFraction?: number; metricsInDomain?: Record<string, unknown> | null; metricsOutOfDomain?: Record<string, unknown> | null };
  limits?: string[];
}

const METRIC_LABELS: Record<string, string> = {
  mae: 'MAE', rmse: 'RMSE', r2: 'R²', spearman: 'Spearman ρ', rocAuc: 'ROC-AUC', prAuc: 'PR-AUC', accuracy: 'Accuracy',
  balancedAccuracy: 'Balanced accuracy', mcc: 'MCC', n: 'n',
};

function num(v: unknown, digits = 3): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(digits);
}

function metricTable(evaluation: EvaluationShape): string[] {
  const rows: [string, Record<string, unknown>][] = [['model', evaluation.metrics ?? {}], ...Object.entries(evaluation.baselines ?? {}).map(([k, v]) => [`baseline: ${k}`, v] as [string, Record<string, unknown>])];
  const keys = Object.keys(METRIC_LABELS).filter((k) => rows.some(([, m]) => typeof m[k] === 'number'));
  if (keys.length === 0) return ['No metrics were stored.'];
  return [
    `| | ${keys.map((k) => METRIC_LABELS[k]).join(' | ')} |`,
    `|---|${keys.map(() => '---:').join('|')}|`,
    ...rows.map(([name, m]) => `| ${name} | ${keys.map((k) => num(m[k])).join(' | ')} |`),
  ];
}

function reproduceCommand(v: VersionDetail, source: { fileName?: string; smilesColumn?: string; targetColumn?: string; activeBelow?: number;
  featureColumns?: string[]; scaledBaselineFeature?: string; cpaColumns?: string[]; timeColumn?: string }): string {
  const e = v.evaluation as { conformal?: { level?: number } | null };
  const parts = ['cryoprotect model train', `--data ${source.fileName ?? 'FILE.csv'}`];
  if (source.smilesColumn) parts.push(`--smiles-column ${source.smilesColumn}`);
  if (source.cpaColumns?.length) parts.push(`--cpa-columns ${source.cpaColumns.join(',')}`, `--time-column ${source.timeColumn}`);
  parts.push(`--target ${source.targetColumn}`, `--name ${v.target}`, `--task ${v.task}`, `--algorithm ${v.algorithm}`, `--seed ${v.seed}`);
  if (source.featureColumns?.length) parts.push(`--feature-columns ${source.featureColumns.join(',')}`);
  if (source.scaledBaselineFeature) parts.push(`--baseline-column ${source.scaledBaselineFeature}`);
  if (source.activeBelow !== undefined) parts.push(`--active-below ${source.activeBelow}`);
  if (e.conformal?.level !== undefined && e.conformal.level !== 0.9) parts.push(`--level ${e.conformal.level}`);
  return parts.join(' \\\n  ');
}

export function modelCard(v: VersionDetail): string {
  const e = v.evaluation as EvaluationShape;
  const source = v.trainingSource as {
    kind?: string; fileName?: string; smilesColumn?: string; targetColumn?: string; rowsInFile?: number; rowsSkipped?: number; activeBelow?: number;
    featureColumns?: string[]; scaledBaselineFeature?: string; cpaColumns?: string[]; timeColumn?: string;
  };
  const lines: string[] = [
    `# Model card: ${v.target} v${v.versionNumber}`,
    '',
    `Generated from the stored version \`${v.id}\` (status: ${v.status}). Regenerate with \`cryoprotect model card ${v.id}\`.`,
    ...(source.kind === 'csv' ? ['', `Reproduce with code version ${v.codeVersion} (same data, same seed, same numbers; the hyperparameters below are that version's defaults):`, '', '```sh', reproduceCommand(v, source), '```'] : []),
    '',
    '## Model',
    '',
    `- Task: ${v.task}${source.activeBelow !== undefined ? ` (active = ${source.targetColumn ?? 'target'} < ${source.activeBelow})` : ''}`,
    `- Algorithm: ${v.algorithm}; hyperparameters: \`${JSON.stringify(v.hyperparameters)}\``,
    `- Features (${v.featureNames.length}): ${v.featureNames.slice(0, 60).join(', ')}${v.featureNames.length > 60 ? ', …' : ''}`,
    `- Seed: ${v.seed}; code version: ${v.codeVersion}; trained ${v.createdAt}`,
    '',
    '## Data',
    '',
    `- Source: ${source.kind ?? 'unknown'}${source.fileName ? ` \`${source.fileName}\`` : ''}, structure column \`${source.smilesColumn ?? '?'}\`, target column \`${source.targetColumn ?? '?'}\``,
    `- Rows used: ${v.trainingRows}${source.rowsInFile !== undefined ? ` of ${source.rowsInFile} in the file (${source.rowsSkipped ?? 0} skipped with a reason)` : ''}${e.nGroups !== undefined ? `; ${e.nGroups} distinct structures (InChIKey)` : ''}`,
    `- Training-data SHA-256: \`${v.trainingDataHash}\``,
    ...(v.notes ? ['', v.notes] : []),
    '',
    '## Validation',
    '',
    `- Split: ${e.split?.description ?? e.split?.kind ?? 'unknown'}${e.split?.nFolds ? `, ${e.split.nFolds} folds` : ''}${e.split?.nClusters ? ` over ${e.split.nClusters} clusters` : ''}`
      + `${e.split?.groupsDisjoint === true ? '; no structure appears on both sides of any fold' : e.split?.groupsDisjoint === false ? '; WARNING: some structure appears on both sides of a fold' : ''}`,
    '- All numbers below are out-of-fold: each row was predicted by a model that did not see it (or its structure).',
    '',
    ...metricTable(e),
  ];
  for (const [name, c] of Object.entries(e.baselineComparisons ?? {})) {
    lines.push('', `Like for like with \`${name}\` (only the ${num(c.baseline.n)} rows that have \`${c.feature}\`${c.g !== null ? `; fitted g = ${num(c.g)}` : ''}): `
      + `model MAE ${num(c.model.mae)}, baseline MAE ${num(c.baseline.mae)}; model R² ${num(c.model.r2)}, baseline R² ${num(c.baseline.r2)}.`);
  }
  if (e.conformal && v.task === 'regression') {
    lines.push('', '## Uncertainty', '',
      `Conformal prediction intervals at nominal level ${num(e.conformal.level)}: measured out-of-fold coverage ${num(e.conformal.coverage)}, mean width ${num(e.conformal.meanWidth)}.`);
    if (e.calibration?.length) {
      lines.push('', '| nominal | measured |', '|---:|---:|', ...e.calibration.map((c) => `| ${num(c.level)} | ${num(c.coverage)} |`));
    }
  }
  if (e.domain) {
    lines.push('', `Applicability domain: nearest-neighbour Tanimoto similarity to the training structures; inputs below ${num(e.domain.threshold)} are flagged out of domain${e.domain.outOfDomainFraction !== undefined ? ` (${num(e.domain.outOfDomainFraction * 100)} % of out-of-fold rows were)` : ''}.`);
    const inD = e.domain.metricsInDomain;
    const outD = e.domain.metricsOutOfDomain;
    if (inD || outD) {
      const key = v.task === 'regression' ? 'mae' : 'rocAuc';
      lines.push(`${METRIC_LABELS[key]} in domain: ${num(inD?.[key])} (n = ${num(inD?.n)}); out of domain: ${num(outD?.[key])} (n = ${num(outD?.n)}).`);
    }
  }
  if (e.learningCurve?.length) {
    lines.push('', '## Learning curve', '', `| training rows | ${e.learningCurve[0]?.metricName ?? 'metric'} |`, '|---:|---:|',
      ...e.learningCurve.map((p) => `| ${p.nTrain} | ${num(p.metric)} |`));
  }
  if (e.featureImportance?.length) {
    lines.push('', '## Most important features', '', ...(e.featureImportanceMethod ? [`Method: ${e.featureImportanceMethod}.`, ''] : []), '| feature | importance |', '|---|---:|',
      ...e.featureImportance.slice(0, 15).map((f) => `| ${f.name} | ${num(f.importance)} |`));
  }
  const y = e.yRandomization;
  if (y) {
    lines.push('', '## Y-randomization', '',
      `Refitting on shuffled targets (${y.rounds} rounds) gives ${y.metric} ${num(y.permutedMean)} ± ${num(y.permutedSd)}, against ${num(y.observed)} on the real targets `
      + `(p = ${num(y.pValue)}; with ${y.rounds} rounds the smallest possible p is ${num(1 / ((y.rounds ?? 0) + 1))}).`);
  }
  lines.push('', '## Known limits', '',
    ...(e.limits?.length ? e.limits.map((l) => `- ${l}`) : []),
    '- Predictions outside the applicability domain are extrapolations; treat their intervals with caution.',
    '- Interval coverage is measured on exchangeable out-of-fold data; a shift in chemistry or assay breaks that guarantee.',
    '');
  return lines.join('\n');
}
