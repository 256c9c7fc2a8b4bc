// The formulations area in a real browser against the full app (fresh seeded embedded database):
// build VS55 from scratch in the builder, save it, and see the same derived values as the seeded
// VS55; an impossible recipe is refused at the field; comparison and Tg-vs-concentration charts.
// Set E2E_BASE_URL to run the same checks against an already running instance instead.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumAvailable, collectPageErrors, launchBrowser, type E2EBrowser, type PageErrorLog } from './browser.ts';

// The seeded VS55 recipe (data/reference/science/formulation-components.csv): amounts and units as published.
const VS55_RECIPE = [
  { search: 'Dimethyl sulfoxide', name: 'Dimethyl sulfoxide', amount: '3.1', unit: 'mol/L' },
  { search: 'Formamide', name: 'Formamide', amount: '3.1', unit: 'mol/L' },
  { search: '1,2-Propanediol', name: '1,2-Propanediol', amount: '2.2', unit: 'mol/L' },
] as const;
const VS55_CARRIER = 'euro-collins'; // formulations.csv carrier_key of vs55
// A name no earlier run against an external instance has used.
const REBUILT_NAME = `VS55 rebuilt in the browser ${Date.now().toString(36)}`;
const SHOT = (name: string) => `/tmp/e2e-formulations-${name}.png`;

interface Target {
  url: string;
  close(): Promise<void>;
}

const external = process.env.E2E_BASE_URL;

async function startTarget(): Promise<Target> {
  if (external) return { url: external.replace(/\/+$/, ''), close: async () => {} };
  const { startAppServer } = await import('../test/helpers/app-server.ts');
  return startAppServer();
}

function recipeLine(page: Page, name: string): Locator {
  return page.getByRole('group', { name: new RegExp(`^\\d+\\. ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });
}

async function addComponent(page: Page, search: string, name: string): Promise<void> {
  await page.getByLabel('Add a component').fill(search);
  await page.getByRole('button', { name: `Add ${name}`, exact: true }).click();
  await recipeLine(page, name).waitFor();
}

async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The derived values a page shows, as the text a person reads. */
async function derivedTexts(page: Page) {
  const derived = page.getByTestId('derived');
  return {
    composition: await text(derived.getByTestId('derived-composition').locator('tbody')),
    qvStar: await text(derived.getByTestId('derived-qvstar')),
    osmolality: await text(derived.getByTestId('derived-osmolality')),
    totalMolarity: await text(derived.getByTestId('derived-total-molarity')),
    totalMolality: await text(derived.getByTestId('derived-total-molality')),
    tg: await text(derived.getByTestId('derived-tg')),
    density: await text(derived.getByTestId('derived-density')),
    assumptions: await text(derived.getByTestId('derived-assumptions')),
  };
}

/** Cells of one row of the derived composition table: role, as given, mass fraction, mole fraction, molarity, molality. */
async function compositionRow(page: Page, name: string): Promise<string[]> {
  const row = page.getByTestId('derived-composition').getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
  return (await row.getByRole('cell').allTextContents()).map((t) => t.trim());
}

const chromiumPath = chromiumAvailable();
const suiteName = chromiumPath
  ? 'formulations UI in Chromium'
  : 'formulations UI in Chromium — SKIPPED: no chromium executable (install Debian chromium or set CHROMIUM_PATH)';

describe.skipIf(!chromiumPath)(suiteName, () => {
  let target: Target | undefined;
  let browser: E2EBrowser | undefined;
  let page: Page;
  let pageErrors: PageErrorLog;

  beforeAll(async () => {
    [target, browser] = await Promise.all([startTarget(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await target?.close();
  });

  beforeEach(async () => {
    if (!browser) throw new Error('browser did not start');
    page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    pageErrors = collectPageErrors(page);
  });

  afterEach(async () => {
    await page.close();
  });

  function url(path: string): string {
    if (!target) throw new Error('app server did not start');
    return `${target.url}${path}`;
  }

  it('builds VS55 from scratch, saves it, and shows the same derived values as the seeded VS55; then compares both', async () => {
    await page.goto(url('/'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Formulations' }).click();
    await page.getByRole('heading', { level: 1, name: 'Formulations' }).waitFor();
    const table = page.getByTestId('mixture-table');
    const seededRow = table.getByRole('row').filter({ has: page.getByRole('link', { name: 'VS55', exact: true }) });
    // The seeded recipe is marked unverified in the data, so the list says so.
    expect(await text(seededRow)).toContain('composition unverified');
    expect(await text(seededRow)).toContain('Nucleation and crystal growth in a vitrification solution');

    await page.getByRole('link', { name: 'New formulation' }).click();
    await page.getByRole('heading', { level: 1, name: 'New formulation' }).waitFor();
    await page.getByLabel(/^Name/).fill(REBUILT_NAME);
    await page.getByLabel(/^Carrier solution/).fill(VS55_CARRIER);
    for (const line of VS55_RECIPE) {
      await addComponent(page, line.search, line.name);
      const group = recipeLine(page, line.name);
      await group.getByLabel('Amount').fill(line.amount);
      await group.getByLabel('Unit').selectOption(line.unit);
      await group.getByLabel('Role').selectOption('penetrating');
    }
    // All ten units are offered.
    expect(await recipeLine(page, 'Formamide').getByLabel('Unit').locator('option').count()).toBe(10);

    // Derived quantities follow the typing (debounced evaluation) without saving anything.
    await expect.poll(() => compositionRow(page, '1,2-Propanediol').then((cells) => cells[1])).toBe('2.2 mol/L');
    await page.getByTestId('derived-state').getByText('up to date').waitFor();
    const built = await derivedTexts(page);
    const dmso = await compositionRow(page, 'Dimethyl sulfoxide');
    expect(dmso[1]).toBe('3.1 mol/L');
    expect(dmso[2]).toMatch(/^\d{1,2}\.\d\d %$/); // mass fraction
    expect(dmso[4]).toBe('3.1'); // molarity as given comes back unchanged
    expect(Number(built.qvStar.split(' ')[0])).toBeGreaterThan(0);
    expect(built.osmolality).toMatch(/^\d+(\.\d+)? osmol\/kg$/);
    expect(built.totalMolarity).toBe('8.4 mol/L');
    expect(built.assumptions).toContain('EuroCollins');
    // The composition chart draws one bar per component plus water.
    const chart = page.getByTestId('composition-chart').locator('svg');
    expect(await chart.getAttribute('aria-label')).toMatch(/^Composition by mass: Dimethyl sulfoxide .*Water \(balance\) \d/);
    await page.screenshot({ path: SHOT('builder'), fullPage: true });

    await page.getByRole('button', { name: 'Save formulation' }).click();
    await page.getByRole('heading', { level: 1, name: REBUILT_NAME, exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/formulations\/[0-9a-f-]{36}$/);
    const savedPath = new URL(page.url()).pathname;
    await page.getByTestId('derived').waitFor();
    const saved = await derivedTexts(page);
    const savedRecipe = await text(page.getByTestId('recipe-table').locator('tbody'));
    await page.screenshot({ path: SHOT('saved'), fullPage: true });

    await page.goto(url('/formulations'));
    await page.getByTestId('mixture-table').getByRole('link', { name: 'VS55', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'VS55', exact: true }).waitFor();
    await page.getByTestId('derived').waitFor();
    const seeded = await derivedTexts(page);
    const seededRecipe = await text(page.getByTestId('recipe-table').locator('tbody'));
    expect(await text(page.getByTestId('verified-state'))).toContain('composition unverified');
    expect(await text(page.getByTestId('mixture-source'))).toContain('Nucleation and crystal growth in a vitrification solution');
    await page.screenshot({ path: SHOT('seeded-vs55'), fullPage: true });

    // Same recipe, same numbers, on all three pages.
    expect(savedRecipe).toBe(seededRecipe);
    expect(built).toEqual(seeded);
    expect(saved).toEqual(seeded);
    const seededPath = new URL(page.url()).pathname;

    // Compare: pick both from the list.
    await page.goto(url('/formulations?q=VS55'));
    const list = page.getByTestId('mixture-table');
    await list.getByRole('link', { name: REBUILT_NAME }).waitFor();
    await page.getByRole('checkbox', { name: 'Select VS55 for comparison', exact: true }).check();
    await page.getByRole('checkbox', { name: `Select ${REBUILT_NAME} for comparison` }).check();
    await page.getByRole('button', { name: 'Compare selected (2)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Compare formulations' }).waitFor();
    const ids = (new URL(page.url()).searchParams.get('ids') ?? '').split(',');
    expect(ids.map((id) => `/formulations/${id}`).sort()).toEqual([savedPath, seededPath].sort());
    const compare = page.getByTestId('compare-table');
    await compare.getByRole('link', { name: REBUILT_NAME }).waitFor();
    await compare.getByRole('link', { name: 'VS55', exact: true }).waitFor();
    for (const rowName of ['Dimethyl sulfoxide', 'Formamide', '1,2-Propanediol', 'Water (balance)', 'Total molarity']) {
      const cells = (await compare.getByRole('row').filter({ has: page.getByRole('rowheader', { name: rowName, exact: true }) }).getByRole('cell').allTextContents()).map((t) => t.trim());
      expect(cells).toHaveLength(2);
      expect(cells[0]).toBe(cells[1]);
      expect(cells[0]).not.toBe('—');
    }
    await page.screenshot({ path: SHOT('compare'), fullPage: true });

    pageErrors.assertClean();
  });

  it('shows an impossible composition (120 % w/w) as an error at the amount it names', async () => {
    pageErrors.allow(/status of 422 .*\/api\/v1\/mixtures:evaluate\)$/);
    await page.goto(url('/formulations/new'));
    await addComponent(page, 'Dimethyl sulfoxide', 'Dimethyl sulfoxide');
    const line = recipeLine(page, 'Dimethyl sulfoxide');
    await line.getByLabel('Unit').selectOption('%w/w');
    await line.getByLabel('Amount').fill('40');
    await page.getByTestId('derived-state').getByText('up to date').waitFor();
    expect((await compositionRow(page, 'Dimethyl sulfoxide'))[2]).toBe('40.00 %');

    await line.getByLabel('Amount').fill('120');
    const amount = line.getByLabel('Amount');
    await expect.poll(() => amount.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await amount.getAttribute('aria-describedby')) ?? '';
    const fieldError = page.locator(`[id="${errorId}"]`);
    expect(await fieldError.getAttribute('class')).toBe('field-error');
    expect(await text(fieldError)).toMatch(/exceeds 100 %/);
    // Inside this component's group, not in a generic banner; the stale derived block is gone.
    expect(await line.locator('.field-error').count()).toBe(1);
    await page.getByTestId('derived-unavailable').waitFor();
    expect(await page.getByTestId('derived').count()).toBe(0);
    await page.screenshot({ path: SHOT('error'), fullPage: true });

    // Fixing the amount clears the error and brings the numbers back.
    await amount.fill('12');
    await expect.poll(() => amount.getAttribute('aria-invalid')).toBeNull();
    await expect.poll(() => compositionRow(page, 'Dimethyl sulfoxide').then((cells) => cells[2])).toBe('12.00 %');
    pageErrors.assertClean();
  });

  it('edits a project formulation in the builder, lists it under Mine, and deletes it', async () => {
    const suffix = Date.now().toString(36);
    const name = `Edit me ${suffix}`;
    const project = await page.request.post(url('/api/v1/projects'), { data: { name: `Formulation e2e ${suffix}` } });
    expect(project.status()).toBe(201);
    const projectId = ((await project.json()) as { id: string }).id;
    const created = await page.request.post(url('/api/v1/mixtures'), {
      data: { name, projectId, components: [{ inchikey: 'IAZDPXIOMUYVGZ-UHFFFAOYSA-N', amount: 10, unit: '%w/w', role: 'penetrating' }] },
    });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };

    await page.goto(url('/formulations'));
    await page.getByLabel('Show').selectOption('mine');
    await page.waitForURL((u) => u.searchParams.get('scope') === 'mine');
    // The previous list stays on screen while the filtered one loads; wait for the reference rows to go.
    await page.getByTestId('mixture-table').getByRole('link', { name: 'VS55', exact: true }).waitFor({ state: 'detached' });
    await page.getByTestId('mixture-table').getByRole('link', { name }).waitFor();

    await page.getByTestId('mixture-table').getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `Edit ${name}` }).waitFor();
    const amount = recipeLine(page, 'Dimethyl sulfoxide').getByLabel('Amount');
    expect(await amount.inputValue()).toBe('10');
    expect(await recipeLine(page, 'Dimethyl sulfoxide').getByLabel('Unit').inputValue()).toBe('%w/w');
    await amount.fill('20');
    await expect.poll(() => compositionRow(page, 'Dimethyl sulfoxide').then((cells) => cells[2])).toBe('20.00 %');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/formulations/${id}`);
    expect(await text(page.getByTestId('recipe-table').locator('tbody'))).toContain('20 % w/w');
    expect((await compositionRow(page, 'Dimethyl sulfoxide'))[2]).toBe('20.00 %');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { level: 1, name: 'Formulations' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/formulations');
    await page.getByTestId('mixture-table').waitFor();
    expect(await page.getByTestId('mixture-table').getByRole('link', { name }).count()).toBe(0);
    expect((await page.request.get(url(`/api/v1/mixtures/${id}`))).status()).toBe(404);
    pageErrors.assertClean();
  });

  it('draws Tg-vs-concentration curves for cited components, and exports JSON and CSV', async () => {
    await page.goto(url('/formulations?q=PVS3'));
    await page.getByTestId('mixture-table').getByRole('link', { name: 'PVS3', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'PVS3', exact: true }).waitFor();
    // Glycerol and sucrose both have cited Gordon–Taylor Tg and k with water.
    const curves = page.getByRole('img', { name: /^Glass transition of .*–water mixtures/ });
    await expect.poll(() => curves.count()).toBe(2);
    const glycerolMass = (await compositionRow(page, 'Glycerol'))[2] ?? '';
    expect(await curves.first().getAttribute('aria-label')).toContain(`this mixture holds ${glycerolMass} Glycerol by mass`);
    expect(await text(page.getByTestId('derived-tg'))).toMatch(/^\d+\.\d K \(-?\d+\.\d °C\)/);
    await page.screenshot({ path: SHOT('tg-curves'), fullPage: true });

    for (const [label, type] of [['Export JSON', /json/], ['Export CSV', /csv/]] as const) {
      const href = (await page.getByRole('link', { name: label }).getAttribute('href')) ?? '';
      const response = await page.request.get(url(href));
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toMatch(type);
      expect(await response.text()).toContain('Glycerol');
    }
    pageErrors.assertClean();
  });
});
