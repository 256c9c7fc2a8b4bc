// The registry's search, import, browser and molecule-page journeys in a real browser against the full app
// (fresh seeded embedded database, local mode: the built-in administrator).
import { readFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumAvailable, collectPageErrors, launchBrowser, type E2EBrowser, type PageErrorLog } from './browser.ts';

// Seeded reference molecules (data/reference/molecules.csv).
const GLYCEROL_INCHIKEY = 'PEDCQBHIVMGVHV-UHFFFAOYSA-N';
const SHOTS = new URL('../tmp/e2e-registry/', import.meta.url).pathname;

// Three new structures, one already seeded (glycerol), one that RDKit cannot parse. Columns are named so the
// server would not guess them: the user has to pick the SMILES and name columns from the preview.
const IMPORT_CSV = [
  'compound,structure_smiles,note',
  '"Butane-1,4-diol",OCCCCO,new',
  '"Pentane-1,5-diol",OCCCCCO,new',
  'Hexylene glycol,CC(O)CC(C)(C)O,new',
  'Glycerol again,OCC(O)CO,already seeded',
  'Garbage,C1CC(O,unclosed ring and branch',
  '',
].join('\n');

// Seeded molecules with MW ≥ 150 g/mol and at least 4 H-bond donors: the sugars and sugar alcohols.
const HEAVY_DONORS = ['D-Galactose', 'D-Glucose', 'D-Mannitol', 'D-Sorbitol', 'Raffinose', 'Sucrose', 'Trehalose', 'Xylitol'];

interface Target {
  url: string;
  close(): Promise<void>;
}

async function startTarget(): Promise<Target> {
  const { startAppServer } = await import('../test/helpers/app-server.ts');
  return startAppServer();
}

/** Resolves once the image has finished loading, with its natural width (0 when it failed). */
function loadedWidth(img: Locator): Promise<number> {
  // Structural type: this file is type-checked without the DOM library.
  return img.evaluate(
    (el: { complete: boolean; naturalWidth: number; addEventListener(type: string, listener: () => void): void }) =>
      el.complete
        ? el.naturalWidth
        : new Promise<number>((resolve) => {
            el.addEventListener('load', () => resolve(el.naturalWidth));
            el.addEventListener('error', () => resolve(0));
          }),
  );
}

async function loadAllImages(images: Locator): Promise<number[]> {
  const widths: number[] = [];
  for (const img of await images.all()) {
    await img.scrollIntoViewIfNeeded();
    widths.push(await loadedWidth(img));
  }
  return widths;
}

/** The text of one column of a table body, row by row. */
async function columnTexts(table: Locator, column: number): Promise<string[]> {
  const out: string[] = [];
  for (const row of await table.locator('tbody tr').all()) {
    out.push(((await row.locator('th, td').nth(column).textContent()) ?? '').trim());
  }
  return out;
}

const chromiumPath = chromiumAvailable();
const suiteName = chromiumPath
  ? 'registry UI in Chromium'
  : 'registry UI in Chromium — SKIPPED: no chromium executable (install Debian chromium or set CHROMIUM_PATH)';

describe.skipIf(!chromiumPath)(suiteName, () => {
  let target: Target | undefined;
  let browser: E2EBrowser | undefined;
  let page: Page;
  let pageErrors: PageErrorLog;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
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

  it('searches by similarity and by substructure, with a live drawing, highlights and readable errors', async () => {
    // Drawing a SMARTS fails on purpose (it is not SMILES), and so does searching with a broken query.
    pageErrors.allow(/status of 422 .*\/api\/v1\/depict\?/);
    pageErrors.allow(/status of 422 .*\/api\/v1\/molecules\/search\/substructure\)$/);
    await page.goto(url('/molecules'));
    await page.getByRole('navigation', { name: 'Molecules' }).getByRole('link', { name: 'Structure search' }).click();
    await page.getByRole('heading', { level: 1, name: 'Structure search' }).waitFor();
    expect(await page.title()).toBe('Structure search · Molecules · CryoProtect');

    // Typing a SMILES draws it (debounced) before anything is searched.
    const query = page.getByLabel('Query structure (SMILES)');
    await query.fill('OCCO');
    const drawing = page.getByTestId('query-depiction').getByRole('img', { name: 'Drawing of OCCO' });
    expect(await loadedWidth(drawing)).toBeGreaterThan(0);
    expect(await drawing.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);

    // Similarity: ethylene glycol itself first, at 1.000, and every score above the slider's threshold.
    const slider = page.getByLabel(/^Minimum similarity/);
    await slider.fill('0.2');
    expect(await page.locator('output').textContent()).toBe('0.20');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('q') === 'OCCO' && u.searchParams.get('mode') === 'similarity' && u.searchParams.get('threshold') === '0.20');
    const results = page.getByTestId('search-results');
    await results.waitFor();
    const firstRow = results.locator('tbody tr').first();
    expect(await firstRow.getByRole('rowheader').textContent()).toBe('Ethylene glycol');
    expect(await firstRow.locator('td').last().textContent()).toBe('1.000');
    const scores = (await columnTexts(results, 4)).map(Number);
    expect(scores.length).toBeGreaterThan(2);
    expect(scores.every((s) => s >= 0.2 && s <= 1)).toBe(true);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const names = await columnTexts(results, 1);
    expect(names).toContain('Diethylene glycol');
    expect(await results.locator('caption').textContent()).toMatch(/^\d+ molecules with similarity ≥ 0\.20 to OCCO/);
    const broadCount = scores.length;

    // A higher threshold keeps only the close analogues.
    await slider.fill('0.6');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('threshold') === '0.60');
    await expect.poll(async () => (await columnTexts(results, 4)).map(Number).every((s) => s >= 0.6)).toBe(true);
    expect((await columnTexts(results, 4)).length).toBeLessThan(broadCount);

    // Substructure with SMARTS: every vicinal diol, none of the mono-alcohols; matches are highlighted.
    await page.getByLabel('Molecules containing a substructure').check();
    const substructure = page.getByLabel('Substructure (SMARTS or SMILES)');
    await substructure.fill('[OX2H][CX4][CX4][OX2H]');
    await page.getByTestId('query-depiction').getByText(/Cannot be drawn as a molecule/).waitFor();
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('mode') === 'substructure');
    await results.locator('caption').getByText(/contain \[OX2H\]\[CX4\]\[CX4\]\[OX2H\]/).waitFor();
    const diols = await columnTexts(results, 1);
    for (const expected of ['Ethylene glycol', 'Glycerol', '1,2-Propanediol', 'D-Sorbitol']) expect(diols).toContain(expected);
    for (const absent of ['Ethanol', 'Methanol', 'Dimethyl sulfoxide', '1,3-Propanediol']) expect(diols).not.toContain(absent);
    const glycerolImage = results.getByRole('img', { name: /^Structure of Glycerol, matches of/ });
    expect(await glycerolImage.getAttribute('src')).toContain(`highlight=${encodeURIComponent('[OX2H][CX4][CX4][OX2H]')}`);
    const widths = await loadAllImages(results.locator('tbody img'));
    expect(widths.filter((w) => w <= 0)).toEqual([]);
    expect(widths.length).toBe(diols.length);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${SHOTS}search-substructure.png`, fullPage: true });

    // A reload repeats the submitted search from the URL.
    await page.reload();
    await results.locator('caption').getByText(/contain \[OX2H\]/).waitFor();
    expect(await columnTexts(results, 1)).toEqual(diols);

    // A broken query: the server's reason is shown at the field, which is marked invalid.
    await substructure.fill('C((((');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const alert = page.getByTestId('search-error');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('No results: the query was not accepted. The reason is under the query field.');
    expect(await substructure.getAttribute('aria-invalid')).toBe('true');
    const reasonId = ((await substructure.getAttribute('aria-describedby')) ?? '').split(' ')[0] ?? '';
    expect(await page.locator(`[id="${reasonId}"]`).textContent()).toMatch(/^substructure query is neither valid SMARTS nor SMILES: .*C\(\(\(\(/);
    expect(await results.count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}search-error.png`, fullPage: true });

    // Back returns to the previous search and its results.
    await page.goBack();
    await results.locator('caption').getByText(/contain \[OX2H\]/).waitFor();
    expect(await substructure.inputValue()).toBe('[OX2H][CX4][CX4][OX2H]');
    pageErrors.assertClean();
  });

  it('imports a CSV with chosen columns, reports every row, and the new molecules show in the browser', async () => {
    await page.goto(url('/molecules/import'));
    await page.getByRole('heading', { level: 1, name: 'Import molecules' }).waitFor();
    await page.getByLabel(/^CSV, TSV or SD file/).setInputFiles({ name: 'cpa-batch.csv', mimeType: 'text/csv', buffer: Buffer.from(IMPORT_CSV) });

    // The header preview offers the file's columns; none is called "smiles", so one has to be chosen.
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    expect(await columnTexts(preview, 1)).toEqual(['Butane-1,4-diol', 'Pentane-1,5-diol', 'Hexylene glycol', 'Glycerol again', 'Garbage']);
    const start = page.getByRole('button', { name: 'Start import' });
    expect(await start.isDisabled()).toBe(true);
    await page.getByLabel('SMILES column').selectOption('structure_smiles');
    await page.getByLabel('Name column').selectOption('compound');
    await expect.poll(() => page.getByLabel('Add to').inputValue()).toBe('public'); // local mode: the administrator
    await page.screenshot({ path: `${SHOTS}import-preview.png`, fullPage: true });
    await start.click();

    // The job's id goes into the URL; the report arrives when the job has finished.
    await page.waitForURL((u) => /^[0-9a-f-]{36}$/.test(u.searchParams.get('job') ?? ''));
    const report = page.getByTestId('import-report');
    await report.waitFor();
    expect(await page.getByTestId('import-status').textContent()).toBe('Finished: 5 of 5 rows processed.');
    expect(await report.getByTestId('count-registered').textContent()).toBe('3');
    expect(await report.getByTestId('count-duplicate').textContent()).toBe('1');
    expect(await report.getByTestId('count-invalid').textContent()).toBe('1');
    const table = page.getByTestId('import-report-table');
    expect(await columnTexts(table, 3)).toEqual(['Registered', 'Registered', 'Registered', 'Duplicate', 'Invalid']);
    expect(await columnTexts(table, 1)).toEqual(['2', '3', '4', '5', '6']); // file lines; the header is line 1
    const duplicate = table.locator('tbody tr').nth(3);
    expect(await duplicate.locator('td').nth(1).textContent()).toBe('Glycerol again OCC(O)CO');
    expect(await duplicate.getByRole('link').textContent()).toBe(GLYCEROL_INCHIKEY);
    const invalid = table.locator('tbody tr').nth(4);
    expect(await invalid.locator('td').last().textContent()).toMatch(/could not be parsed/i);
    expect(await invalid.getByRole('link').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}import-report.png`, fullPage: true });

    // The downloadable report has the same rows, with their inputs.
    const [download] = await Promise.all([page.waitForEvent('download'), report.getByRole('button', { name: 'Download the report (CSV)' }).click()]);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r\n/);
    expect(lines[0]).toBe('row,line,status,name,smiles,id,inchikey,error');
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['registered', 'registered', 'registered', 'duplicate', 'invalid']);
    expect(lines[1]).toMatch(/^1,2,registered,"Butane-1,4-diol",OCCCCO,[0-9a-f-]{36},[A-Z-]{27},$/);

    // The imported molecules are in the browser, with the names from the chosen column.
    await report.getByRole('link', { name: 'Browse molecules' }).click();
    await page.getByLabel('Filter molecules').fill('hexylene');
    await page.waitForURL((u) => u.searchParams.get('q') === 'hexylene');
    const molecules = page.getByTestId('molecule-table');
    const row = molecules.getByRole('row').filter({ hasText: 'Hexylene glycol' });
    await expect.poll(() => molecules.locator('tbody tr').count()).toBe(1); // the unfiltered page stays until the answer
    await row.waitFor();
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('CC(O)CC(C)(C)O');

    // Re-running the same file adds nothing: the three new rows are duplicates now.
    await page.goto(url('/molecules/import'));
    await page.getByLabel(/^CSV, TSV or SD file/).setInputFiles({ name: 'cpa-batch.csv', mimeType: 'text/csv', buffer: Buffer.from(IMPORT_CSV) });
    await page.getByLabel('SMILES column').selectOption('structure_smiles');
    await page.getByRole('button', { name: 'Start import' }).click();
    await report.waitFor();
    expect(await report.getByTestId('count-registered').textContent()).toBe('0');
    expect(await report.getByTestId('count-duplicate').textContent()).toBe('4');
    pageErrors.assertClean();
  });

  it('filters by descriptors, sorts by column, keeps it all in the URL and exports the same selection', async () => {
    await page.goto(url('/molecules'));
    const table = page.getByTestId('molecule-table');
    await table.getByText(GLYCEROL_INCHIKEY).waitFor();

    await page.getByText('Descriptor filters', { exact: true }).click();
    await page.getByRole('group', { name: /^Molecular weight/ }).getByLabel(/min$/).fill('150');
    await page.getByRole('group', { name: /^H-bond donors/ }).getByLabel(/min$/).fill('4');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((u) => u.searchParams.get('minMw') === '150' && u.searchParams.get('minHbd') === '4');
    await table.getByText(GLYCEROL_INCHIKEY).waitFor({ state: 'detached' });

    await table.getByRole('button', { name: /^MW/ }).click(); // ascending
    await page.waitForURL((u) => u.searchParams.get('sort') === 'molecularWeight');
    await table.getByRole('button', { name: /^MW/ }).click(); // descending
    await page.waitForURL((u) => u.searchParams.get('order') === 'desc');
    // Heaviest first; equal masses (sucrose and trehalose, the hexitols, the hexoses) may come in either order.
    await expect.poll(async () => (await columnTexts(table, 1))[0]).toBe('Raffinose');
    const selected = await columnTexts(table, 1);
    expect([...selected].sort()).toEqual(HEAVY_DONORS);
    const masses = (await columnTexts(table, 4)).map(Number);
    expect(masses.every((m) => m >= 150)).toBe(true);
    expect([...masses].sort((a, b) => b - a)).toEqual(masses);
    expect((await columnTexts(table, 7)).every((t) => Number(t.split(' / ')[0]) >= 4)).toBe(true);
    expect(await table.getByRole('columnheader', { name: /^MW/ }).getAttribute('aria-sort')).toBe('descending');
    expect(await table.locator('caption').textContent()).toMatch(/^Molecules 1–8 · 2 descriptor filters/);
    await loadAllImages(table.locator('tbody img'));
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${SHOTS}browser-filtered.png`, fullPage: true });

    // Reload and Back keep the state, because it is the URL.
    await page.reload();
    await expect.poll(async () => [...(await columnTexts(table, 1))].sort()).toEqual(HEAVY_DONORS);
    expect(await table.getByRole('columnheader', { name: /^MW/ }).getAttribute('aria-sort')).toBe('descending');
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('sort') === 'molecularWeight' && u.searchParams.get('order') === null);
    await expect.poll(async () => (await columnTexts(table, 1))[0]).toBe('Xylitol');

    // The CSV export carries the same selection and holds every selected molecule.
    const exportLink = page.getByRole('link', { name: 'CSV', exact: true });
    const href = (await exportLink.getAttribute('href')) ?? '';
    const exportUrl = new URL(href, page.url());
    expect(exportUrl.pathname).toBe('/api/v1/molecules/export');
    expect(Object.fromEntries(exportUrl.searchParams)).toMatchObject({ format: 'csv', minMw: '150', minHbd: '4', sort: 'molecularWeight', order: 'asc' });
    const exported = await page.evaluate(`fetch(${JSON.stringify(href)}).then((r) => r.text())`) as string;
    const exportedLines = exported.trim().split(/\r?\n/);
    expect(exportedLines).toHaveLength(1 + HEAVY_DONORS.length);
    expect(exportedLines[1]).toContain('Xylitol');

    // Clearing the filters brings every molecule back.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await table.getByText(GLYCEROL_INCHIKEY).waitFor();
    expect(new URL(page.url()).searchParams.get('minMw')).toBeNull();
    pageErrors.assertClean();
  });

  it('shows a molecule with identifiers, cited measurements and similar molecules', async () => {
    await page.goto(url(`/molecules?q=${GLYCEROL_INCHIKEY}`));
    await page.getByTestId('molecule-table').getByRole('link', { name: 'Glycerol', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Glycerol' }).waitFor();

    const identifiers = page.getByRole('region', { name: 'Identifiers and links' });
    expect(await identifiers.getByRole('link', { name: /PubChem/ }).first().getAttribute('href')).toMatch(/^https:\/\/pubchem\.ncbi\.nlm\.nih\.gov\//);

    const measured = page.getByTestId('measured-properties');
    await measured.waitFor();
    const tgRows = measured.locator('tbody tr').filter({ hasText: 'Glass transition Tg' });
    expect(await tgRows.count()).toBeGreaterThan(1);
    expect(await tgRows.first().locator('td').first().textContent()).toBe('190 K');
    expect(await tgRows.first().getByRole('rowheader').textContent()).toContain('used');
    const citation = tgRows.first().getByRole('link', { name: 'Koop et al. 2011' });
    expect(await citation.getAttribute('href')).toMatch(/^https:\/\/doi\.org\/10\./);
    const sources = page.getByRole('list', { name: 'Sources' });
    expect(await sources.getByRole('listitem').filter({ hasText: /^Koop T.*\(2011\)\. Glass transition/ }).count()).toBe(1);

    const similar = page.getByTestId('similar-molecules');
    await similar.waitFor();
    const names = await columnTexts(similar, 1);
    expect(names).toHaveLength(10);
    expect(names).not.toContain('Glycerol');
    const scores = (await columnTexts(similar, 4)).map(Number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores.every((s) => s > 0 && s < 1)).toBe(true);
    await loadAllImages(page.locator('img'));
    await page.screenshot({ path: `${SHOTS}molecule-page.png`, fullPage: true });

    // A similar molecule opens its own page.
    const first = names[0] as string;
    await similar.getByRole('link', { name: first, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: first }).waitFor();
    pageErrors.assertClean();
  });
});
