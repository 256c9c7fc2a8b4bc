import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import { parseCsv } from '../../src/lib/csv.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

const TG_FILE = new URL('../../data/reference/tg/koop2011-pure-tg.csv', import.meta.url);

/** A deterministic slice of the shipped Tg compilation: every third compound, enough for a quick model. */
function tgSlice(step = 3): string {
  const { records } = parseCsv(readFileSync(TG_FILE, 'utf8'));
  const rows = records.filter((_, i) => i % step === 0).map((r) => `${r.values.name!.replace(/[",]/g, ' ')},${r.values.canonical_smiles},${r.values.tg_k},${r.values.tm_k ?? ''}`);
  return ['name,smiles,tg,tm', ...rows, 'broken,this is not smiles,200,', 'no target,CCO,,'].join('\n');
}

/** Exposure data from a known kinetic model (DMSO and ethylene glycol by InChIKey), viability in percent with ±5 % noise. */
function exposureCsv(): string {
  const DMSO = 'IAZDPXIOMUYVGZ-UHFFFAOYSA-N';
  const EG = 'LYCAIKOWRPUZTN-UHFFFAOYSA-N';
  const rows = [`${DMSO},${EG},minutes,viability`];
  let noise = 1;
  for (const d of [0, 1, 2, 3, 4]) for (const e of [0, 1.5, 3]) for (const t of [10, 30]) {
    if (d === 0 && e === 0) continue;
    const k = 0.004 * d ** 1.6 + 0.001 * e ** 1.2 + 0.0005 * (d + e) ** 2;
    noise = (noise * 7919) % 101;
    rows.push(`${d},${e},${t},${(100 * Math.exp(-k * t) * (0.95 + 0.1 * (noise / 100))).toFixed(2)}`);
  }
  rows.push(`1,x,10,50`);
  return rows.join('\n');
}

interface Job { id: string; status: string; error: string | null; result: { versionId: string; used: number; skipped: { line: number; error: string }[] } | null }

describeEachBackend('models API', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const data = tgSlice();

  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const res = await app.inject({ method, url, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const finished = async (id: string): Promise<Job> => {
    for (let i = 0; i < 600; i++) {
      const job = (await call('GET', `/api/v1/jobs/${id}`)).body as Job;
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`job ${id} did not finish`);
  };
  const train = async (body: object): Promise<Job> => {
    const res = await call('POST', '/api/v1/model-versions', { content: data, smilesColumn: 'smiles', targetColumn: 'tg', target: 'pure-tg', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return finished(res.body.id as string);
  };

  let ridge: string;
  let knn: string;

  beforeAll(async () => {
    db = await openTestDatabase(backend, { chem: true });
    app = await buildServer({ ...db.runtime, version: APP_VERSION });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('trains a version as a job, reporting skipped rows and out-of-fold metrics beside the baselines', async () => {
    const job = await train({ algorithm: 'ridge', seed: 7 });
    expect(job.status, job.error ?? '').toBe('succeeded');
    expect(job.result!.skipped.map((s) => s.error).join('|')).toMatch(/invalid structure.*\|.*empty tg|empty tg.*\|.*invalid structure/s);
    ridge = job.result!.versionId;
    const v = (await call('GET', `/api/v1/model-versions/${ridge}`)).body;
    expect(v).toMatchObject({ target: 'pure-tg', versionNumber: 1, task: 'regression', algorithm: 'ridge', status: 'candidate', seed: 7, codeVersion: APP_VERSION });
    expect(v.trainingRows).toBe(job.result!.used);
    expect(v.trainingDataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(v.metrics.mae).toBeGreaterThan(0);
    expect(v.baselines.mean.mae).toBeGreaterThan(v.metrics.mae);
    expect(v.evaluation.conformal.coverage).toBeGreaterThan(0.7);
    expect(v.evaluation.outOfFold.length).toBe(v.trainingRows);
  });

  it('answers bad training requests with a problem naming the field, before queueing', async () => {
    const missing = await call('POST', '/api/v1/model-versions', { content: data, smilesColumn: 'SMILES', targetColumn: 'tg' });
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0].field).toBe('smilesColumn');
    const badAlgorithm = await call('POST', '/api/v1/model-versions', { content: data, smilesColumn: 'smiles', targetColumn: 'tg', algorithm: 'svm' });
    expect(badAlgorithm.status).toBe(400);
    const empty = await call('POST', '/api/v1/model-versions', { content: 'smiles,tg\n', smilesColumn: 'smiles', targetColumn: 'tg' });
    expect(empty.status).toBe(422);
    expect(empty.body.detail).toMatch(/no data rows/);
    const hyper = await call('POST', '/api/v1/model-versions', { content: data, smilesColumn: 'smiles', targetColumn: 'tg', hyperparameters: { bogus: 1 } });
    expect(hyper.status).toBe(422);
    expect(hyper.body.errors[0].field).toBe('hyperparameters');
    const few = await call('POST', '/api/v1/model-versions', { content: 'smiles,tg\nCCO,100\nCO,90\n', smilesColumn: 'smiles', targetColumn: 'tg' });
    expect(few.status).toBe(422);
    expect(few.body.detail).toMatch(/2 usable row\(s\); at least 10/);
    const noProject = await call('POST', '/api/v1/model-versions', { content: data, smilesColumn: 'smiles', targetColumn: 'tg', projectId: '00000000-0000-4000-8000-0000000000ff' });
    expect(noProject.status).toBe(404);
    const noProjectExperiments = await call('POST', '/api/v1/model-versions:from-experiments', { projectId: '00000000-0000-4000-8000-0000000000ff' });
    expect(noProjectExperiments.status).toBe(404);
  });

  it('activates one version per target, retires the previous one, and compares two versions on the same folds', async () => {
    const job = await train({ algorithm: 'knn', seed: 7 });
    expect(job.status, job.error ?? '').toBe('succeeded');
    knn = job.result!.versionId;
    expect((await call('POST', `/api/v1/model-versions/${ridge}/activate`)).body.status).toBe('active');
    const second = (await call('POST', `/api/v1/model-versions/${knn}/activate`)).body;
    expect(second).toMatchObject({ status: 'active', versionNumber: 2 });
    expect((await call('GET', `/api/v1/model-versions/${ridge}`)).body.status).toBe('retired');
    const active = (await call('GET', '/api/v1/model-versions?target=pure-tg&status=active')).body.items;
    expect(active.map((v: { id: string }) => v.id)).toEqual([knn]);

    const cmp = (await call('GET', `/api/v1/model-versions/compare?a=${ridge}&b=${knn}`)).body;
    expect(cmp.basis).toBe('stored');
    expect(cmp.evaluationA.metrics.mae).toBe((await call('GET', `/api/v1/model-versions/${ridge}`)).body.metrics.mae);
  });

  it('predicts with value, interval, domain flag and version, records each prediction, and reports bad rows per row', async () => {
    const res = await call('POST', `/api/v1/model-versions/${knn}/predict`, { smiles: ['OCC(O)CO', 'not a molecule', 'CCCCCCCCCCCCCCCCCCCC(=O)O'], level: 0.8 });
    expect(res.status).toBe(200);
    expect(res.body.version).toMatchObject({ id: knn, target: 'pure-tg', versionNumber: 2 });
    const [glycerol, bad, acid] = res.body.items;
    expect(glycerol.value).toBeGreaterThan(120);
    expect(glycerol.value).toBeLessThan(300);
    expect(glycerol.lower).toBeLessThan(glycerol.value);
    expect(glycerol.upper).toBeGreaterThan(glycerol.value);
    expect(typeof glycerol.inDomain).toBe('boolean');
    expect(glycerol.predictionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(bad.error).toMatch(/invalid structure/);
    expect(bad.predictionId).toBeNull();
    expect(acid.value).not.toBeNull();

    const byTarget = await call('POST', '/api/v1/models/pure-tg/predict', { smiles: ['OCC(O)CO'], level: 0.8 });
    expect(byTarget.body.items[0].value).toBe(glycerol.value);

    const ledger = (await call('GET', `/api/v1/predictions?versionId=${knn}`)).body.items;
    expect(ledger).toHaveLength(3);
    expect(ledger.every((p: { method: string; level: number }) => p.method === 'model' && p.level === 0.8)).toBe(true);
    expect(ledger.map((p: { inputs: { smiles: string } }) => p.inputs.smiles)).toContain('OCC(O)CO');

    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(new RegExp(`model_predictions_total\\{target="pure-tg",model_version="${knn}"\\} [3-9]`));
    expect(metrics.body).toMatch(/model_prediction_duration_seconds_count\{target="pure-tg"\} [1-9]/);

    const tooMany = await call('POST', `/api/v1/model-versions/${knn}/predict`, { smiles: new Array(10_001).fill('C') });
    expect(tooMany.status).toBe(400);
  });

  it('trains a classifier from a continuous target (as for IRI: active below a threshold) and predicts probabilities', async () => {
    // Not IRI data: Tg below 200 K stands in for "active" so the classification path runs on shipped data.
    const job = await train({ algorithm: 'knn', task: 'classification', activeBelow: 200, target: 'low-tg', seed: 5 });
    expect(job.status, job.error ?? '').toBe('succeeded');
    const v = (await call('GET', `/api/v1/model-versions/${job.result!.versionId}`)).body;
    expect(v.task).toBe('classification');
    expect(v.metrics.rocAuc).toBeGreaterThan(0.6);
    expect(v.baselines.prevalence.rocAuc).toBe(0.5);
    const res = (await call('POST', `/api/v1/model-versions/${v.id}/predict`, { smiles: ['CO', 'OCC1OC(O)C(O)C(O)C1O'], record: false })).body;
    const [methanol, glucose] = res.items;
    expect(methanol.value).toBeGreaterThan(glucose.value);
    expect(methanol.value).toBeGreaterThanOrEqual(0);
    expect(methanol.value).toBeLessThanOrEqual(1);
    expect(methanol.predictionId).toBeNull();
  });

  it('keeps versions immutable and the ledger append-only for the app role', async () => {
    await expect(db.runtime.db.asUser({ userId: '00000000-0000-4000-8000-000000000001' }, (tx) =>
      tx.query(`update model_versions set artifact = '{}'::jsonb where id = $1`, [knn]))).rejects.toThrow(/immutable/);
    await expect(db.runtime.db.asUser({ userId: '00000000-0000-4000-8000-000000000001' }, (tx) =>
      tx.query(`update predictions set value = 0`))).rejects.toThrow(/permission denied/);
    await expect(db.runtime.db.asUser({ userId: '00000000-0000-4000-8000-000000000001' }, (tx) =>
      tx.query(`delete from predictions`))).rejects.toThrow(/permission denied/);
    await expect(db.runtime.db.asUser({ userId: '00000000-0000-4000-8000-000000000001' }, (tx) =>
      tx.query(`delete from model_versions`))).rejects.toThrow(/permission denied/);
  });

  it('fits the kinetic toxicity model to exposure data and predicts viability for exposures and for a stored mixture', async () => {
    const res = await call('POST', '/api/v1/model-versions', {
      content: exposureCsv(), algorithm: 'kinetic', cpaColumns: ['IAZDPXIOMUYVGZ-UHFFFAOYSA-N', 'LYCAIKOWRPUZTN-UHFFFAOYSA-N'],
      timeColumn: 'minutes', targetColumn: 'viability', target: 'toxicity', activate: true, seed: 3,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const job = await finished(res.body.id);
    expect(job.status, job.error ?? '').toBe('succeeded');
    expect(job.result!.skipped).toEqual([{ index: 28, line: 30, error: expect.stringMatching(/not a number/) }]);
    const v = (await call('GET', `/api/v1/model-versions/${job.result!.versionId}`)).body;
    expect(v).toMatchObject({ algorithm: 'kinetic', target: 'toxicity', status: 'active' });
    expect(v.metrics.mae).toBeLessThan(v.baselines.mean.mae);
    expect(v.evaluation.split.groupsDisjoint).toBe(true);

    const predicted = await call('POST', `/api/v1/model-versions/${v.id}/predict`, {
      exposures: [{ composition: { 'IAZDPXIOMUYVGZ-UHFFFAOYSA-N': 2 }, minutes: 20 }, { composition: { unknown: 1 }, minutes: 5 }],
    });
    expect(predicted.status, JSON.stringify(predicted.body)).toBe(200);
    const expected = 100 * Math.exp(-(0.004 * 2 ** 1.6 + 0.0005 * 4) * 20);
    expect(predicted.body.items[0].value).toBeGreaterThan(expected - 8);
    expect(predicted.body.items[0].value).toBeLessThan(expected + 8);
    expect(predicted.body.items[1].error).toMatch(/not fitted on unknown/);
    const wrongInput = await call('POST', `/api/v1/model-versions/${v.id}/predict`, { smiles: ['CCO'] });
    expect(wrongInput.status).toBe(422);
    expect(wrongInput.body.errors[0].field).toBe('exposures');
  });

  it('fits the kinetic toxicity model to a project\'s verified exposure experiments, reporting the ones it cannot use', async () => {
    const projectId = (await call('POST', '/api/v1/projects', { name: 'Toxicity screen' })).body.id as string;
    const ids: string[] = [];
    // Four DMSO concentrations × two exposure times, plus one experiment whose step gives an amount (unusable).
    const dmsoPercent = [10, 20, 30, 40];
    for (const [i, pct] of dmsoPercent.entries()) {
      const mixture = await call('POST', '/api/v1/mixtures', { name: `DMSO ${pct} %`, projectId, components: [{ inchikey: 'IAZDPXIOMUYVGZ-UHFFFAOYSA-N', amount: pct, unit: '%w/w' }] });
      expect(mixture.status, JSON.stringify(mixture.body)).toBe(201);
      const molality = mixture.body.derived.components[0].molality as number;
      for (const minutes of [10, 30]) {
        const viability = 100 * Math.exp(-0.003 * molality ** 1.5 * minutes) * (1 + 0.02 * ((i + minutes) % 3 - 1));
        const created = await call('POST', '/api/v1/experiments', {
          projectId, mixtureId: mixture.body.id, title: `DMSO ${pct} % for ${minutes} min`, sample: { name: 'BPAEC', kind: 'cell' },
          protocol: { loading: [{ fractionOfFinal: 1, durationMin: minutes, temperatureC: 4 }], removal: [] },
          results: [{ measurement: 'exposure_viability', unit: '%', mean: viability, n: 1 }],
        });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        ids.push(created.body.id);
      }
    }
    const unusable = await call('POST', '/api/v1/experiments', {
      projectId, mixtureId: (await call('GET', `/api/v1/mixtures?scope=mine&limit=10`)).body.items[0].id, title: 'stepwise by amount',
      sample: { name: 'BPAEC', kind: 'cell' }, protocol: { loading: [{ amount: 5, unit: '%w/w', durationMin: 10, temperatureC: 4 }], removal: [] },
      results: [{ measurement: 'exposure_viability', unit: '%', mean: 90, n: 1 }],
    });
    ids.push(unusable.body.id);
    // The review workflow needs a second account; here the verified state is set directly, as a restore would.
    await db.runtime.db.asMaintenance((tx) => tx.query(`update experiments set state = 'verified' where id = any($1::uuid[])`, [ids]));

    const res = await call('POST', '/api/v1/model-versions:from-experiments', { projectId, seed: 2 });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const job = await finished(res.body.id);
    expect(job.status, job.error ?? '').toBe('succeeded');
    expect(job.result!.used).toBe(8);
    expect(job.result!.skipped).toHaveLength(1);
    expect(job.result!.skipped[0]!.error).toMatch(/stepwise by amount.*fractionOfFinal/);
    const v = (await call('GET', `/api/v1/model-versions/${job.result!.versionId}`)).body;
    expect(v).toMatchObject({ projectId, target: 'toxicity', algorithm: 'kinetic', trainingRows: 8 });
    expect(v.trainingSource).toMatchObject({ kind: 'experiments', measurement: 'exposure_viability', temperatureC: 4 });
    expect(v.featureNames).toEqual(['IAZDPXIOMUYVGZ-UHFFFAOYSA-N', 'minutes']);
    expect(v.metrics.mae).toBeLessThan(v.baselines.mean.mae);

    const none = await call('POST', '/api/v1/model-versions:from-experiments', { projectId: (await call('POST', '/api/v1/projects', { name: 'Empty' })).body.id });
    const failed = await finished(none.body.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/no verified experiment/);
  });

  it('predicts a mixture\'s solution Tg from Gordon–Taylor with model-estimated component Tg, and records it', async () => {
    const molecules = (await call('GET', '/api/v1/molecules?limit=500')).body.items as { id: string; inchikey: string }[];
    const dmso = molecules.find((m) => m.inchikey === 'IAZDPXIOMUYVGZ-UHFFFAOYSA-N')!;
    const created = await call('POST', '/api/v1/mixtures', {
      name: 'DMSO 40 % w/w in water (model test)',
      components: [{ moleculeId: dmso.id, amount: 40, unit: '%w/w' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const res = await call('POST', `/api/v1/mixtures/${created.body.id}/predictions`, { level: 0.8 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [tg, toxicity] = res.body.predictions;
    expect(toxicity).toMatchObject({ target: 'toxicity', available: false });
    expect(toxicity.reason).toMatch(/exposureMinutes/);
    const withExposure = (await call('POST', `/api/v1/mixtures/${created.body.id}/predictions`, { level: 0.8, exposureMinutes: 15, record: false })).body.predictions[1];
    expect(withExposure).toMatchObject({ target: 'toxicity', available: true, method: 'kinetic-toxicity' });
    expect(withExposure.value).toBeGreaterThan(0);
    expect(withExposure.value).toBeLessThan(100);
    expect(tg).toMatchObject({ target: 'solution-tg', unit: 'K', available: true, method: 'gordon-taylor+model-tg' });
    expect(tg.modelVersions[0].id).toBe(knn);
    // Gordon–Taylor is a weighted mean: the solution Tg lies between water's (136 K) and DMSO's model estimate.
    const dmsoTg = tg.components[0];
    expect(dmsoTg).toMatchObject({ tgSource: 'model', tgRef: knn, kSource: 'simha-boyer' });
    expect(tg.value).toBeGreaterThanOrEqual(Math.min(136, dmsoTg.tg));
    expect(tg.value).toBeLessThanOrEqual(Math.max(136, dmsoTg.tg));
    expect(tg.value).toBeCloseTo(tg.physics, 10);
    expect(tg.lower).toBeLessThanOrEqual(tg.value);
    expect(tg.upper).toBeGreaterThanOrEqual(tg.value);
    const ledger = (await call('GET', `/api/v1/predictions?mixtureId=${created.body.id}`)).body.items;
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ subjectKind: 'mixture', target: 'solution-tg', modelVersionId: knn, value: tg.value });
  });

  it('learns viability from a project\'s verified experiments and predicts it on the mixture page', async () => {
    const projectId = (await call('POST', '/api/v1/projects', { name: 'Viability screen' })).body.id as string;
    const DMSO = 'IAZDPXIOMUYVGZ-UHFFFAOYSA-N';
    const EG = 'LYCAIKOWRPUZTN-UHFFFAOYSA-N';
    const ids: string[] = [];
    const mixtureIds: string[] = [];
    // Made-up data with a real signal: viability falls with the total CPA fraction and rises with the cooling rate.
    const recipes = [[5, 0], [10, 5], [15, 10], [20, 10], [10, 25], [30, 10]] as const;
    let noise = 3;
    for (const [dmso, eg] of recipes) {
      const mixture = await call('POST', '/api/v1/mixtures', {
        name: `DMSO ${dmso} % + EG ${eg} %`, projectId,
        components: [{ inchikey: DMSO, amount: dmso, unit: '%w/w' }, { inchikey: EG, amount: eg, unit: '%w/w' }],
      });
      expect(mixture.status, JSON.stringify(mixture.body)).toBe(201);
      mixtureIds.push(mixture.body.id);
      for (const cooling of [1, 3, 10]) {
        noise = (noise * 7919) % 101;
        const viability = 85 - 1.6 * (dmso + eg) + 1.2 * cooling + (noise / 100 - 0.5) * 4;
        const created = await call('POST', '/api/v1/experiments', {
          projectId, mixtureId: mixture.body.id, title: `${dmso}/${eg} cooled at ${cooling} K/min`, sample: { name: 'HUVEC', kind: 'cell' },
          protocol: { loading: [{ fractionOfFinal: 1, durationMin: 15, temperatureC: 4 }], removal: [], coolingRateKPerMin: cooling, warmingRateKPerMin: 50 },
          results: [{ measurement: 'post_thaw_viability', unit: '%', mean: viability, n: 1 }],
        });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        ids.push(created.body.id);
      }
    }
    await db.runtime.db.asMaintenance((tx) => tx.query(`update experiments set state = 'verified' where id = any($1::uuid[])`, [ids]));

    const res = await call('POST', '/api/v1/model-versions:from-experiments', { projectId, kind: 'viability', seed: 1, activate: true });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const job = await finished(res.body.id);
    expect(job.status, job.error ?? '').toBe('succeeded');
    expect(job.result!.used).toBe(18);
    const v = (await call('GET', `/api/v1/model-versions/${job.result!.versionId}`)).body;
    expect(v).toMatchObject({ projectId, target: 'viability', algorithm: 'rf', task: 'regression', trainingRows: 18, status: 'active' });
    expect(v.trainingSource).toMatchObject({ kind: 'experiments', measurement: 'post_thaw_viability' });
    expect(v.trainingSource.experimentIds).toHaveLength(18);
    expect(v.evaluation.split).toMatchObject({ kind: 'group-kfold', groupsDisjoint: true });
    expect(v.evaluation.outOfFold).toHaveLength(18);
    expect(v.evaluation.conformal.coverage).toBeGreaterThan(0);
    expect(v.metrics.mae).toBeLessThan(v.baselines.mean.mae);
    expect(v.featureNames).toContain('coolingRateKPerMin');

    const direct = await call('POST', `/api/v1/model-versions/${v.id}/predict`, { smiles: ['CCO'] });
    expect(direct.status).toBe(422);
    expect(direct.body.detail).toMatch(/POST \/mixtures\/\{id\}\/predictions/);

    const mild = await call('POST', `/api/v1/mixtures/${mixtureIds[0]}/predictions`, { protocol: { coolingRateKPerMin: 3 } });
    expect(mild.status, JSON.stringify(mild.body)).toBe(200);
    expect(mild.body.predictions.map((p: { target: string }) => p.target)).toEqual(['solution-tg', 'toxicity', 'viability']);
    const learned = mild.body.predictions[2];
    expect(learned).toMatchObject({ target: 'viability', unit: '% viability', available: true, method: 'learned-viability' });
    expect(learned.modelVersions[0].id).toBe(v.id);
    expect(learned.lower).toBeLessThanOrEqual(learned.value);
    expect(learned.upper).toBeGreaterThanOrEqual(learned.value);
    expect(learned.notes.join(' ')).toMatch(/training medians used: .*warmingRateKPerMin/);
    const harsh = (await call('POST', `/api/v1/mixtures/${mixtureIds[5]}/predictions`, { protocol: { coolingRateKPerMin: 3 }, record: false })).body.predictions[2];
    expect(harsh.value).toBeLessThan(learned.value);
    const ledger = (await call('GET', `/api/v1/predictions?mixtureId=${mixtureIds[0]}`)).body.items as { target: string; modelVersionId: string; value: number }[];
    expect(ledger.find((p) => p.target === 'viability')).toMatchObject({ modelVersionId: v.id, value: learned.value });

    const tooFew = await call('POST', '/api/v1/model-versions:from-experiments', { projectId, kind: 'viability', measurement: 'exposure_viability' });
    const failed = await finished(tooFew.body.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/no verified experiment of this project records exposure_viability/);
  });
});
