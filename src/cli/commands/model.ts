import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { loadConfig } from '../../config.ts';
import { APP_VERSION, openRuntime, type Runtime } from '../../app/runtime.ts';
import { migrateUp } from '../../db/migrate.ts';
import { ensureLocalAdmin } from '../../modules/accounts/local-admin.ts';
import { modelCard } from '../../modules/models/card.ts';
import { ALGORITHMS, createModelService, TASKS, type ModelAlgorithm, type ModelService, type TrainOutcome, type VersionSummary } from '../../modules/models/service.ts';
import { createMixtureService } from '../../modules/mixtures/service.ts';
import type { Actor } from '../../db/db.ts';
import type { Task } from '../../ml/pipeline.ts';
import { csvField } from '../../lib/csv.ts';
import { cliActor } from '../actor.ts';
import { err, out, UsageError, type Command } from '../command.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_FILE_BYTES = 64 * 1024 * 1024;

const USAGE = [
  'cryoprotect model train --data FILE.csv --smiles-column NAME --target NAME [--task regression|classification]',
  '      [--algorithm rf|gbt|gp|ridge|knn] [--seed N] [--name TARGET_NAME] [--feature-columns A,B] [--level 0.9]',
  '      [--active-below X] [--baseline-column COL] [--project ID] [--activate] [--notes TEXT]',
  '  | model train --algorithm kinetic --data FILE.csv --cpa-columns DMSO,EG --time-column MINUTES --target VIABILITY',
  '      [--survival-unit fraction|percent] [--name toxicity] [--seed N]   (the kinetic toxicity model; molalities in mol/kg)',
  '  | model train --from-experiments --project ID [--name toxicity] [--activate]   (kinetic model from verified exposure_viability experiments)',
  '  | model train --from-experiments --project ID --kind viability [--measurement post_thaw_viability|exposure_viability]',
  '      [--algorithm rf|ridge] [--name viability] [--activate]   (learned viability model from composition and protocol)',
  '  | model predict --version ID --data FILE.csv --smiles-column NAME --out OUT.csv [--level 0.9] [--no-record]',
  '      (kinetic versions read the CPA and time columns they were trained with)',
  '  | model evaluate --version ID --data FILE.csv --smiles-column NAME --target NAME [--level 0.9]',
  '  | model list [--target NAME] [--json] | model show ID [--json] | model activate ID | model retire ID',
  '  | model compare A B [--json] | model card ID [--out FILE.md] | model ledger [--version ID] [--limit N]',
  '  (all accept --as EMAIL to act as an account)',
].join('\n');

function readData(path: string | boolean | undefined): { text: string; name: string } {
  if (typeof path !== 'string' || path === '') throw new UsageError('--data FILE is required');
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`--data: no such file ${path}`);
  if (statSync(path).size > MAX_FILE_BYTES) throw new UsageError(`--data: ${path} is larger than 64 MiB`);
  // A relative path is kept as given (it makes the model card's reproduce command runnable); an absolute one is private.
  return { text: readFileSync(path, 'utf8'), name: isAbsolute(path) ? basename(path) : path };
}

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} is required`);
  return v;
}

function optionalNumber(values: Record<string, string | boolean | undefined>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number`);
  return n;
}

function versionId(values: Record<string, string | boolean | undefined>, positional?: string): string {
  const id = typeof values.version === 'string' ? values.version : positional;
  if (!id || !UUID.test(id)) throw new UsageError('a model version id (UUID from "model list") is required');
  return id;
}

function fmt(v: unknown): string {
  return typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(3)) : v === null || v === undefined ? '—' : String(v);
}

function metricLine(name: string, metrics: Record<string, unknown>): string {
  const keys = ['mae', 'rmse', 'r2', 'spearman', 'rocAuc', 'prAuc', 'accuracy'];
  return `${name.padEnd(14)} ${keys.filter((k) => k in metrics).map((k) => `${k}=${fmt(metrics[k])}`).join('  ')}`;
}

function describeVersion(v: VersionSummary): string {
  return `${v.id}  ${v.target} v${v.versionNumber}  ${v.task} ${v.algorithm}  ${v.status}  ${v.trainingRows} rows  ${v.createdAt}`;
}

async function withService<T>(values: Record<string, string | boolean | undefined>, work: (service: ModelService, actor: Actor, runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(loadConfig());
  try {
    await migrateUp(runtime.db);
    await ensureLocalAdmin(runtime.db);
    const actor = await cliActor(runtime.db, values.as);
    return await work(createModelService(runtime.db, runtime.chem, { codeVersion: APP_VERSION, mixtures: createMixtureService(runtime.db) }), actor, runtime);
  } finally {
    await runtime.close();
  }
}

/** Progress on stderr, at most every 5 % so logs stay short. */
function progressPrinter(): (fraction: number, message: string) => void {
  let lastShown = -1;
  return (fraction, message) => {
    const pct = Math.floor(fraction * 20) * 5;
    if (pct === lastShown) return;
    lastShown = pct;
    err(`progress: ${String(pct).padStart(3)}%  ${message}`);
  };
}

export const modelCommand: Command = {
  summary: 'Train, evaluate, compare and activate predictive models; predict for a CSV of structures',
  usage: USAGE,
  options: {
    data: { type: 'string' }, 'smiles-column': { type: 'string' }, target: { type: 'string' }, task: { type: 'string' },
    algorithm: { type: 'string' }, seed: { type: 'string' }, name: { type: 'string' }, 'feature-columns': { type: 'string' },
    level: { type: 'string' }, 'active-below': { type: 'string' }, 'baseline-column': { type: 'string' }, project: { type: 'string' },
    activate: { type: 'boolean' }, notes: { type: 'string' }, version: { type: 'string' }, out: { type: 'string' },
    'no-record': { type: 'boolean' }, 'from-experiments': { type: 'boolean' }, 'cpa-columns': { type: 'string' }, 'time-column': { type: 'string' }, 'survival-unit': { type: 'string' }, kind: { type: 'string' }, measurement: { type: 'string' }, json: { type: 'boolean' }, as: { type: 'string' }, limit: { type: 'string' },
  },
  async run({ values, positionals }) {
    const [action, ...rest] = positionals;
    // Problems (bad column, too few rows, unknown version) reach main, which prints them and exits 1.
    switch (action) {
      case 'train': return train(values);
      case 'predict': return predict(values);
      case 'evaluate': return evaluate(values);
      case 'list': return list(values);
      case 'show': case 'activate': case 'retire': case 'card': return single(action, values, rest[0]);
      case 'compare': return compare(values, rest);
      case 'ledger': return ledger(values);
      default: throw new UsageError('model needs an action: train, predict, evaluate, list, show, activate, retire, compare, card or ledger');
    }
  },
};

function printOutcome(outcome: TrainOutcome): void {
  const v = outcome.version;
  for (const s of outcome.skipped.slice(0, 20)) err(`skipped ${s.line ? `line ${s.line}` : `#${s.index + 1}`}: ${s.error}`);
  if (outcome.skipped.length > 20) err(`… and ${outcome.skipped.length - 20} more skipped rows`);
  out(`trained ${v.target} v${v.versionNumber} (${v.task}, ${v.algorithm}, seed ${v.seed}) on ${outcome.used} rows; ${outcome.skipped.length} skipped`);
  out(metricLine('model', v.metrics));
  for (const [name, m] of Object.entries(v.baselines)) out(metricLine(`baseline ${name}`, m as Record<string, unknown>));
  const conformal = (v.evaluation as { conformal?: { level: number; coverage: number; meanWidth: number } | null }).conformal;
  if (conformal) out(`interval       level=${conformal.level} measured coverage=${fmt(conformal.coverage)} mean width=${fmt(conformal.meanWidth)}`);
  out(`status         ${v.status}`);
  out(v.id);
}

async function trainFromExperiments(values: Record<string, string | boolean | undefined>): Promise<number> {
  const project = values.project;
  if (typeof project !== 'string' || !UUID.test(project)) throw new UsageError('--from-experiments needs --project ID (the project whose verified experiments to fit)');
  const seed = optionalNumber(values, 'seed') ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError('--seed must be a non-negative integer');
  const level = optionalNumber(values, 'level');
  const kind = values.kind ?? 'toxicity';
  if (kind !== 'toxicity' && kind !== 'viability') throw new UsageError('--kind must be toxicity or viability');
  const measurement = values.measurement;
  if (measurement !== undefined && measurement !== 'post_thaw_viability' && measurement !== 'exposure_viability') {
    throw new UsageError('--measurement must be post_thaw_viability or exposure_viability');
  }
  const algorithm = values.algorithm;
  if (algorithm !== undefined && algorithm !== 'rf' && algorithm !== 'ridge') throw new UsageError('--algorithm with --from-experiments must be rf or ridge');
  if (kind === 'toxicity' && (measurement !== undefined || algorithm !== undefined)) throw new UsageError('--measurement and --algorithm go with --kind viability');
  return withService(values, async (service, actor) => {
    printOutcome(await service.trainFromExperiments(actor, {
      projectId: project, seed, kind,
      ...(measurement !== undefined ? { measurement } : {}),
      ...(algorithm !== undefined ? { algorithm } : {}),
      ...(typeof values.name === 'string' ? { target: values.name } : {}),
      ...(level !== undefined ? { level } : {}),
      ...(typeof values.notes === 'string' ? { notes: values.notes } : {}),
      ...(values.activate ? { activate: true } : {}),
    }, progressPrinter()));
    return 0;
  });
}

async function train(values: Record<string, string | boolean | undefined>): Promise<number> {
  if (values['from-experiments']) return trainFromExperiments(values);
  const data = readData(values.data);
  const algorithm = (values.algorithm ?? 'rf') as ModelAlgorithm;
  if (!(ALGORITHMS as readonly string[]).includes(algorithm)) throw new UsageError(`--algorithm must be one of ${ALGORITHMS.join(', ')}`);
  const kinetic = algorithm === 'kinetic';
  const smilesColumn = kinetic ? undefined : required(values, 'smiles-column');
  const targetColumn = required(values, 'target');
  const cpaColumns = typeof values['cpa-columns'] === 'string' ? values['cpa-columns'].split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (kinetic && cpaColumns.length === 0) throw new UsageError('--cpa-columns is required with --algorithm kinetic');
  const timeColumn = kinetic ? required(values, 'time-column') : undefined;
  const survivalUnit = values['survival-unit'];
  if (survivalUnit !== undefined && survivalUnit !== 'fraction' && survivalUnit !== 'percent') throw new UsageError('--survival-unit must be fraction or percent');
  const task = (values.task ?? 'regression') as Task;
  if (!(TASKS as readonly string[]).includes(task)) throw new UsageError(`--task must be one of ${TASKS.join(', ')}`);
  const seed = optionalNumber(values, 'seed') ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError('--seed must be a non-negative integer');
  const project = values.project;
  if (project !== undefined && (typeof project !== 'string' || !UUID.test(project))) throw new UsageError('--project must be a project id (UUID)');
  const featureColumns = typeof values['feature-columns'] === 'string' ? values['feature-columns'].split(',').map((s) => s.trim()).filter(Boolean) : [];
  const level = optionalNumber(values, 'level');
  const activeBelow = optionalNumber(values, 'active-below');
  return withService(values, async (service, actor) => {
    const outcome = await service.train(actor, {
      projectId: typeof project === 'string' ? project : null,
      data: data.text, fileName: data.name, targetColumn, task, algorithm, seed,
      ...(smilesColumn ? { smilesColumn } : {}),
      ...(kinetic ? { cpaColumns, timeColumn: timeColumn!, ...(survivalUnit ? { survivalUnit: survivalUnit as 'fraction' | 'percent' } : {}) } : {}),
      ...(typeof values.name === 'string' ? { target: values.name } : {}),
      ...(featureColumns.length ? { featureColumns } : {}),
      ...(level !== undefined ? { level } : {}),
      ...(activeBelow !== undefined ? { activeBelow } : {}),
      ...(typeof values['baseline-column'] === 'string' ? { scaledBaselineFeature: values['baseline-column'] } : {}),
      ...(typeof values.notes === 'string' ? { notes: values.notes } : {}),
      ...(values.activate ? { activate: true } : {}),
    }, progressPrinter());
    printOutcome(outcome);
    return 0;
  });
}

async function predict(values: Record<string, string | boolean | undefined>): Promise<number> {
  const id = versionId(values);
  const data = readData(values.data);
  const smilesColumn = typeof values['smiles-column'] === 'string' ? values['smiles-column'] : undefined;
  const outPath = required(values, 'out');
  const level = optionalNumber(values, 'level');
  return withService(values, async (service, actor) => {
    const result = await service.predictDataset(actor, id, data.text, { ...(smilesColumn ? { smilesColumn } : {}), ...(level !== undefined ? { level } : {}), record: !values['no-record'] });
    const extra = ['prediction', 'lower', 'upper', 'in_domain', 'domain_score', 'error'];
    const num = (v: number | null) => (v === null ? '' : String(v));
    const lines = [[...result.columns, ...extra].map(csvField).join(',')];
    for (const { fields, item } of result.rows) {
      lines.push([...fields, num(item.value), num(item.lower), num(item.upper), item.inDomain === null ? '' : String(item.inDomain), num(item.domainScore), item.error ?? '']
        .map(csvField).join(','));
    }
    writeFileSync(outPath, `${lines.join('\n')}\n`);
    const failed = result.rows.filter((r) => r.item.error !== null).length;
    const outOfDomain = result.rows.filter((r) => r.item.inDomain === false).length;
    out(`predicted ${result.rows.length - failed} rows with ${result.version.target} v${result.version.versionNumber} (${result.version.id}) at level ${result.level}; ${failed} failed; ${outOfDomain} out of domain`);
    out(outPath);
    return 0;
  });
}

async function evaluate(values: Record<string, string | boolean | undefined>): Promise<number> {
  const id = versionId(values);
  const data = readData(values.data);
  const smilesColumn = typeof values['smiles-column'] === 'string' ? values['smiles-column'] : undefined;
  const targetColumn = required(values, 'target');
  const level = optionalNumber(values, 'level');
  return withService(values, async (service, actor) => {
    const result = await service.evaluate(actor, id, data.text, { ...(smilesColumn ? { smilesColumn } : {}), targetColumn, ...(level !== undefined ? { level } : {}) });
    for (const s of result.skipped.slice(0, 20)) err(`skipped line ${s.line}: ${s.error}`);
    out(JSON.stringify({ version: result.version, used: result.used, skipped: result.skipped.length, ...(result.evaluation as object) }, null, 2));
    return 0;
  });
}

async function list(values: Record<string, string | boolean | undefined>): Promise<number> {
  return withService(values, async (service, actor) => {
    const items = await service.list(actor, typeof values.target === 'string' ? { target: values.target } : {});
    if (values.json) out(JSON.stringify(items, null, 2));
    else if (items.length === 0) out('no model versions yet: train one with "cryoprotect model train"');
    else for (const v of items) out(describeVersion(v));
    return 0;
  });
}

async function single(action: 'show' | 'activate' | 'retire' | 'card', values: Record<string, string | boolean | undefined>, positional?: string): Promise<number> {
  const id = versionId(values, positional);
  return withService(values, async (service, actor) => {
    const v = action === 'activate' ? await service.activate(actor, id)
      : action === 'retire' ? await service.retire(actor, id)
      : await service.get(actor, id);
    if (action === 'card') {
      const text = modelCard(v);
      if (typeof values.out === 'string') {
        writeFileSync(values.out, text);
        out(values.out);
      } else process.stdout.write(text);
      return 0;
    }
    if (values.json) out(JSON.stringify(v, null, 2));
    else {
      out(describeVersion(v));
      out(metricLine('model', v.metrics));
      for (const [name, m] of Object.entries(v.baselines)) out(metricLine(`baseline ${name}`, m as Record<string, unknown>));
    }
    return 0;
  });
}

async function compare(values: Record<string, string | boolean | undefined>, ids: string[]): Promise<number> {
  const [a, b] = ids;
  if (!a || !b || !UUID.test(a) || !UUID.test(b)) throw new UsageError('model compare needs two version ids');
  return withService(values, async (service, actor) => {
    const c = await service.compare(actor, a, b);
    if (values.json) {
      out(JSON.stringify(c, null, 2));
      return 0;
    }
    out(`comparison basis: ${c.basis === 'stored' ? 'same data, split and seed (stored evaluations)' : `version ${c.a.versionNumber}'s configuration re-run on version ${c.b.versionNumber}'s data and folds`}`);
    out(metricLine(`A v${c.a.versionNumber}`, (c.evaluationA.metrics ?? {}) as Record<string, unknown>));
    out(metricLine(`B v${c.b.versionNumber}`, (c.evaluationB.metrics ?? {}) as Record<string, unknown>));
    return 0;
  });
}

async function ledger(values: Record<string, string | boolean | undefined>): Promise<number> {
  const limit = optionalNumber(values, 'limit') ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be an integer from 1 to 1000');
  return withService(values, async (service, actor) => {
    const items = await service.ledger(actor, { limit, ...(typeof values.version === 'string' ? { versionId: versionId(values) } : {}) });
    out(JSON.stringify(items, null, 2));
    return 0;
  });
}
