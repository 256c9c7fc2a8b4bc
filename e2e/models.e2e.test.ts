// The models area in a real browser against the full app (AUTH_MODE=local, fresh seeded embedded database):
// train a pure-compound Tg model from an uploaded CSV (the server's 422 shows at the field first), follow the
// job, open the version and count one scatter point per out-of-fold row, activate it, predict glycerol with an
// interval, and see a DMSO formulation's solution-Tg prediction name the model version it used; then fit the
// kinetic toxicity model to generated exposure rows, predict an exposure, and see the formulation's viability.
import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { parseCsv } from '../src/lib/csv.ts';
import { chromiumAvailable, collectPageErrors, launchBrowser, type E2EBrowser, type PageErrorLog } from './browser.ts';

const TG_FILE = new URL('../data/reference/tg/koop2011-pure-tg.csv', import.meta.url);
const SHOT_DIR = new URL('../tmp/h7/', import.meta.url).pathname;
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOT_DIR}models-${name}.png`, fullPage: true });
const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
const DMSO_INCHIKEY = 'IAZDPXIOMUYVGZ-UHFFFAOYSA-N';
const EG_INCHIKEY = 'LYCAIKOWRPUZTN-UHFFFAOYSA-N';

/** The known kinetic model the exposure rows are generated from (as in test/api/models.test.ts): k per minute. */
const trueRate = (dmso: number, eg: number) => 0.004 * dmso ** 1.6 + 0.001 * eg ** 1.2 + 0.0005 * (dmso + eg) ** 2;

/** Viability (%) after exposure to DMSO and ethylene glycol molalities, with ±5 % deterministic noise, plus one bad row. */
function exposureCsv(): string {
  const rows = [`${DMSO_INCHIKEY},${EG_INCHIKEY},minutes,viability`];
  let noise = 1;
  for (const d of [0, 1, 2, 3, 4]) for (const e of [0, 1.5, 3]) for (const t of [10, 30]) {
    if (d === 0 && e === 0) continue;
    noise = (noise * 7919) % 101;
    rows.push(`${d},${e},${t},${(100 * Math.exp(-trueRate(d, e) * t) * (0.95 + 0.1 * (noise / 100))).toFixed(2)}`);
  }
  rows.push('1,x,10,50');
  return rows.join('\n');
}

/** Every third compound of the shipped Tg compilation, plus one row the server must skip with a reason. */
function trainingCsv(): { text: string; rows: number } {
  const { records } = parseCsv(readFileSync(TG_FILE, 'utf8'));
  const rows = records.filter((_, i) => i % 3 === 0).map((r) => `${r.values.name!.replace(/[",]/g, ' ')},${r.values.canonical_smiles},${r.values.tg_k}`);
  return { text: ['name,smiles,tg', ...rows, 'broken,this is not smiles,200'].join('\n'), rows: rows.length };
}

const chromiumPath = chromiumAvailable();
const suiteName = chromiumPath
  ? 'models UI in Chromium'
  : 'models UI in Chromium — SKIPPED: no chromium executable (install Debian chromium or set CHROMIUM_PATH)';

describe.skipIf(!chromiumPath)(suiteName, () => {
  let server: { url: string; close(): Promise<void> } | undefined;
  let browser: E2EBrowser | undefined;
  let page: Page;
  let errors: PageErrorLog;
  let versionId = '';
  let mixtureId = '';
  const data = trainingCsv();
  const url = (path: string) => `${server!.url}${path}`;

  beforeAll(async () => {
    mkdirSync(SHOT_DIR, { recursive: true });
    const { startAppServer } = await import('../test/helpers/app-server.ts');
    [server, browser] = await Promise.all([startAppServer(), launchBrowser()]);
    page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('trains a model from an uploaded CSV: a bad name is refused at its field, then the job reports skipped rows', async () => {
    await page.goto(url('/'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' }).click();
    await page.getByRole('heading', { level: 1, name: 'Models' }).waitFor();
    await page.getByTestId('no-models').waitFor();

    const form = page.getByRole('form', { name: 'Train a model' });
    await form.getByLabel(/^Training data/).setInputFiles({ name: 'koop-third.csv', mimeType: 'text/csv', buffer: Buffer.from(data.text) });
    // The header is read in the browser: the structure column is recognised, the target is the user's choice.
    await expect.poll(() => form.getByLabel(/^Structure column/).inputValue()).toBe('smiles');
    await form.getByLabel(/^Target column/).selectOption('tg');
    await form.getByLabel('Algorithm').selectOption('knn');
    await form.getByLabel('Seed').fill('7');
    await form.getByLabel('Model name').fill('123');

    // "123" has no letter to start a target name with: the server's 422 names the field `target`.
    errors.allow(/status of 422/);
    await form.getByRole('button', { name: 'Start training' }).click();
    const nameField = form.locator('.field').filter({ has: page.getByLabel('Model name') });
    await nameField.getByTestId('field-error').waitFor();
    expect(squash(await nameField.getByTestId('field-error').textContent())).toMatch(/invalid name|target name/);
    expect(await form.getByLabel('Model name').getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('Model name').fill('pure-tg');
    await form.getByRole('button', { name: 'Start training' }).click();
    await expect.poll(() => page.url()).toMatch(/\/models\?job=[0-9a-f-]{36}$/);
    await page.getByTestId('train-status').getByText('Training finished.').waitFor({ timeout: 120_000 });
    const result = page.getByTestId('train-result');
    expect(squash(await result.textContent())).toContain(`on ${data.rows} rows; 1 row was skipped`);
    const skipped = await page.getByTestId('skipped-rows').locator('tbody tr').allTextContents();
    expect(skipped).toHaveLength(1);
    expect(squash(skipped[0]!)).toMatch(new RegExp(`^${data.rows + 2}\\s*.*invalid structure`));
    await shot(page, 'trained');

    await result.getByRole('link', { name: 'Open pure-tg v1' }).click();
    await page.getByRole('heading', { level: 1, name: 'pure-tg v1' }).waitFor();
    versionId = page.url().split('/').pop()!;
    // The list behind the form now has the version too.
    errors.assertClean();
  });

  it('shows the version: facts, metrics beside baselines, one scatter point per out-of-fold row, and the other charts', async () => {
    const stored = await (await page.request.get(url(`/api/v1/model-versions/${versionId}`))).json();
    expect(stored.evaluation.outOfFold.length).toBe(data.rows);

    const facts = squash(await page.getByTestId('version-facts').textContent());
    expect(facts).toContain('candidate');
    expect(facts).toContain('k nearest neighbours');
    expect(facts).toContain(`Seed7`);
    expect(facts).toContain(`${data.rows} of ${data.rows + 1} in koop-third.csv (1 skipped)`);

    const metrics = page.getByTestId('metrics-table');
    await metrics.getByRole('rowheader', { name: 'baseline: mean' }).waitFor();
    const maeCell = async (row: string) => {
      const headers = (await metrics.locator('thead th').allTextContents()).map((t) => t.trim());
      const cells = await metrics.getByRole('row').filter({ has: page.getByRole('rowheader', { name: row, exact: true }) }).locator('td').allTextContents();
      return Number(cells[headers.indexOf('MAE') - 1]);
    };
    expect(await maeCell('model')).toBeCloseTo(stored.metrics.mae, 0);
    expect(await maeCell('model')).toBeLessThan(await maeCell('baseline: mean'));

    const points = page.getByTestId('oof-scatter').locator('g.oof-point circle');
    await expect.poll(() => points.count()).toBe(stored.evaluation.outOfFold.length);
    for (const chart of ['residuals-chart', 'calibration-chart', 'learning-curve-chart']) {
      expect(await page.getByTestId(chart).locator('svg').count(), chart).toBe(1);
    }
    expect(await page.getByTestId('residuals-chart').locator('g.residual-point circle').count()).toBe(stored.evaluation.outOfFold.length);
    expect(squash(await page.getByTestId('coverage-summary').textContent())).toMatch(/^90 % conformal intervals covered \d+ % of held-out rows/);
    await shot(page, 'version');
    errors.assertClean();
  });

  it('activates the version and predicts glycerol with a value inside its interval; a bad SMILES gets its own reason', async () => {
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByTestId('version-facts').getByTestId('model-status').getByText('active').waitFor();
    expect(await page.getByRole('button', { name: 'Activate' }).count()).toBe(0);

    await page.getByLabel('Structures (SMILES, one per line)').fill('OCC(O)CO\nnot a molecule');
    await page.getByRole('button', { name: 'Predict', exact: true }).click();
    const rows = page.getByTestId('predict-results').getByTestId('predict-row');
    await expect.poll(() => rows.count()).toBe(2);
    const value = Number(await rows.nth(0).getByTestId('predict-value').textContent());
    const interval = squash(await rows.nth(0).getByTestId('predict-interval').textContent());
    const match = /^\[(-?[\d.]+), (-?[\d.]+)\]$/.exec(interval);
    expect(match, interval).not.toBeNull();
    expect(Number(match![1])).toBeLessThan(value);
    expect(Number(match![2])).toBeGreaterThan(value);
    expect(value).toBeGreaterThan(120);
    expect(value).toBeLessThan(300);
    expect(squash(await rows.nth(0).textContent())).toMatch(/in domain|out of domain/);
    expect(squash(await rows.nth(1).textContent())).toMatch(/invalid structure/);
    await shot(page, 'predicted');

    await page.goto(url('/models'));
    const targets = page.getByTestId('targets-table');
    await targets.getByRole('link', { name: /^v1 · k nearest neighbours/ }).waitFor();
    expect(squash(await targets.textContent())).toMatch(/pure-tg\s*instance-wide\s*v1/);
    await shot(page, 'list');
    errors.assertClean();
  });

  it('predicts the solution Tg of a DMSO formulation with the pure-Tg model version it names, and keeps the history', async () => {
    const created = await page.request.post(url('/api/v1/mixtures'), {
      data: { name: 'DMSO 40 % w/w (models e2e)', components: [{ inchikey: DMSO_INCHIKEY, amount: 40, unit: '%w/w' }] },
    });
    expect(created.status()).toBe(201);
    const mixture = await created.json();
    mixtureId = mixture.id;
    await page.goto(url(`/formulations/${mixture.id}`));
    await page.getByRole('heading', { level: 1, name: 'DMSO 40 % w/w (models e2e)' }).waitFor();
    await page.getByText('No prediction has been recorded for this formulation yet.').waitFor();

    await page.getByRole('button', { name: 'Predict properties' }).click();
    const card = page.getByTestId('prediction-solution-tg');
    await card.getByTestId('prediction-value').waitFor();
    const text = squash(await card.getByTestId('prediction-value').textContent());
    const m = /^([\d.]+) K \((-?[\d.]+) °C\) · 90 % interval \[([\d.]+), ([\d.]+)\] K/.exec(text);
    expect(m, text).not.toBeNull();
    const [kelvin, celsius, lower, upper] = [m![1], m![2], m![3], m![4]].map(Number) as [number, number, number, number];
    // Both are shown to one decimal, each rounded on its own.
    expect(Math.abs(celsius - (kelvin - 273.15))).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(lower).toBeLessThanOrEqual(kelvin);
    expect(upper).toBeGreaterThanOrEqual(kelvin);
    expect(squash(await card.getByTestId('prediction-method').textContent())).toMatch(/^gordon-taylor\+model-tg/);
    const used = card.getByTestId('prediction-models').getByRole('link', { name: 'pure-tg v1' });
    expect(await used.getAttribute('href')).toBe(`/models/versions/${versionId}`);

    const history = page.getByTestId('prediction-history').locator('tbody tr');
    await expect.poll(() => history.count()).toBe(1);
    expect(squash(await history.first().textContent())).toContain(kelvin.toFixed(1));
    await shot(page, 'mixture');

    await used.click();
    await page.getByRole('heading', { level: 1, name: 'pure-tg v1' }).waitFor();
    errors.assertClean();
  });
  it('compares the version with a second one trained on the same data: stored basis, metrics side by side, both scatters', async () => {
    const started = await page.request.post(url('/api/v1/model-versions'), {
      data: { content: data.text, fileName: 'koop-third.csv', smilesColumn: 'smiles', targetColumn: 'tg', target: 'pure-tg', algorithm: 'ridge', seed: 7 },
    });
    expect(started.status()).toBe(202);
    const jobId = (await started.json()).id as string;
    await expect.poll(async () => (await (await page.request.get(url(`/api/v1/jobs/${jobId}`))).json()).status, { timeout: 120_000 }).toBe('succeeded');

    await page.goto(url(`/models/versions/${versionId}`));
    await page.getByLabel('Compare with…').selectOption({ label: 'pure-tg v2 · ridge · candidate' });
    await page.getByTestId('compare-basis').waitFor({ timeout: 120_000 });
    expect(squash(await page.getByTestId('compare-basis').textContent())).toMatch(/^Basis: stored/);
    const headers = squash(await page.getByTestId('compare-metrics').locator('thead').textContent());
    expect(headers).toMatch(/pure-tg v2 · Ridge.*pure-tg v1 · k nearest/);
    await page.getByTestId('compare-metrics').getByRole('rowheader', { name: 'MAE' }).waitFor();
    for (const id of ['compare-scatter-a', 'compare-scatter-b']) {
      await expect.poll(() => page.getByTestId(id).locator('g.oof-point circle').count(), { message: id }).toBe(data.rows);
    }
    expect(page.url()).toContain('compare=');
    await shot(page, 'compare');
    errors.assertClean();
  });

  it('fits the kinetic toxicity model from exposure rows, predicts an exposure, and gives the formulation a viability', async () => {
    await page.goto(url('/models'));
    const form = page.getByRole('form', { name: 'Train a model' });
    await form.getByLabel('Algorithm').selectOption('kinetic');
    await form.getByLabel(/^Training data/).setInputFiles({ name: 'exposures.csv', mimeType: 'text/csv', buffer: Buffer.from(exposureCsv()) });
    await form.getByLabel(/^Exposure time column/).selectOption('minutes');
    await form.getByLabel(/^Survival column/).selectOption('viability');
    const cpas = form.getByRole('group', { name: /CPA molality columns/ });
    await cpas.getByLabel(DMSO_INCHIKEY).check();
    await cpas.getByLabel(EG_INCHIKEY).check();
    await form.getByLabel('Model name').fill('toxicity');
    await form.getByLabel('Seed').fill('3');
    await form.getByLabel('Activate when done').check();
    await form.getByRole('button', { name: 'Start training' }).click();
    await page.getByTestId('train-status').getByText('Training finished.').waitFor({ timeout: 120_000 });
    expect(squash(await page.getByTestId('skipped-rows').locator('tbody').textContent())).toMatch(/^30.*not a number/);
    await page.getByTestId('train-result').getByRole('link', { name: 'Open toxicity v1' }).click();
    await page.getByRole('heading', { level: 1, name: 'toxicity v1' }).waitFor();
    const kineticId = page.url().split('/').pop()!;
    const stored = await (await page.request.get(url(`/api/v1/model-versions/${kineticId}`))).json();
    expect(stored).toMatchObject({ algorithm: 'kinetic', status: 'active' });
    await expect.poll(() => page.getByTestId('oof-scatter').locator('g.oof-point circle').count()).toBe(stored.evaluation.outOfFold.length);
    expect(squash(await page.getByTestId('version-facts').textContent())).toContain(`CPA molalities ${DMSO_INCHIKEY}, ${EG_INCHIKEY}, time minutes, survival viability`);

    // 20 min in 2 mol/kg DMSO: the fit must land near the generating model.
    await page.getByLabel('Exposures (one per line)').fill('20, 2, 0');
    await page.getByRole('button', { name: 'Predict', exact: true }).click();
    const value = Number(await page.getByTestId('predict-results').getByTestId('predict-value').first().textContent());
    const expected = 100 * Math.exp(-trueRate(2, 0) * 20);
    expect(Math.abs(value - expected)).toBeLessThan(8);
    // A line with the wrong number of values is refused before sending.
    await page.getByLabel('Exposures (one per line)').fill('20, 2');
    await page.getByRole('button', { name: 'Predict', exact: true }).click();
    await page.getByText('Line 1: give 3 numbers').waitFor();
    await shot(page, 'kinetic');

    await page.goto(url(`/formulations/${mixtureId}`));
    await page.getByLabel('Exposure for viability (min)').fill('15');
    await page.getByRole('button', { name: 'Predict properties' }).click();
    const card = page.getByTestId('prediction-toxicity');
    const text = squash(await card.getByTestId('prediction-value').textContent());
    expect(text).toMatch(/^\d+(\.\d)? % viability/);
    expect(await card.getByTestId('prediction-models').getByRole('link', { name: 'toxicity v1' }).getAttribute('href')).toBe(`/models/versions/${kineticId}`);
    expect(squash(await card.textContent())).toContain('Exposure of 15 min at the full concentration.');
    await expect.poll(() => page.getByTestId('prediction-history').locator('tbody tr').count()).toBe(3);
    await shot(page, 'mixture-viability');
    errors.assertClean();
  });
});
