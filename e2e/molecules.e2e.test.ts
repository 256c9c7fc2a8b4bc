// The molecules area in a real browser against the full app (fresh seeded embedded database).
// Set E2E_BASE_URL to run the same checks against an already running instance instead.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumAvailable, collectPageErrors, launchBrowser, type E2EBrowser, type PageErrorLog } from './browser.ts';

// Seeded reference molecules (data/reference/molecules.csv), identified by standard InChIKey.
const GLYCEROL_INCHIKEY = 'PEDCQBHIVMGVHV-UHFFFAOYSA-N';
const DMSO_INCHIKEY = 'IAZDPXIOMUYVGZ-UHFFFAOYSA-N';
const ISOPROPANOL_INCHIKEY = 'KFZMGEQAYNKOFK-UHFFFAOYSA-N';
const SCREENSHOT = '/tmp/e2e-molecules.png';
const DETAIL_SCREENSHOT = '/tmp/e2e-molecule-detail.png';

interface Target {
  url: string;
  close(): Promise<void>;
}

const external = process.env.E2E_BASE_URL;
const freshDatabase = !external;

async function startTarget(): Promise<Target> {
  if (external) return { url: external.replace(/\/+$/, ''), close: async () => {} };
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

/** Scroll each image into view (they load lazily) and return their natural widths. */
async function loadAllImages(images: Locator): Promise<number[]> {
  const widths: number[] = [];
  for (const img of await images.all()) {
    await img.scrollIntoViewIfNeeded();
    widths.push(await loadedWidth(img));
  }
  return widths;
}

function moleculeTable(page: Page): Locator {
  return page.getByTestId('molecule-table');
}

const chromiumPath = chromiumAvailable();
const suiteName = chromiumPath
  ? 'molecules UI in Chromium'
  : 'molecules UI in Chromium — SKIPPED: no chromium executable (install Debian chromium or set CHROMIUM_PATH)';

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

  it('goes from the start page to Molecules and lists seeded molecules with their depictions', async () => {
    await page.goto(url('/'));
    await page.getByRole('heading', { level: 1, name: 'CryoProtect' }).waitFor();
    // The header shows who is acting and which database mode the server runs in.
    await page.getByTestId('server-status').getByText(/Signed in as/).waitFor();
    expect(await page.getByTestId('server-status').textContent()).toMatch(/Embedded database|PostgreSQL/);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Molecules' }).click();
    await page.getByRole('heading', { level: 1, name: 'Molecules' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/molecules');
    expect(await page.title()).toBe('Molecules · CryoProtect');

    const table = moleculeTable(page);
    await table.getByText(GLYCEROL_INCHIKEY).waitFor();
    await table.getByText(DMSO_INCHIKEY).waitFor();
    const glycerolRow = table.getByRole('row').filter({ hasText: GLYCEROL_INCHIKEY });
    await expect(glycerolRow.getByRole('rowheader').textContent()).resolves.toBe('Glycerol');
    expect(await glycerolRow.getByRole('cell').nth(1).textContent()).toBe('OCC(O)CO');
    expect(await glycerolRow.getByRole('cell').nth(3).textContent()).toBe('92.09');

    // Depictions are real SVGs from the server, loaded lazily as rows scroll into view.
    const widths = await loadAllImages(table.locator('tbody img'));
    expect(widths.length).toBe(await table.locator('tbody tr').count());
    expect(widths.filter((w) => w <= 0)).toEqual([]);
    expect(await glycerolRow.locator('img').getAttribute('alt')).toBe('Structure of Glycerol');

    // The filter narrows the list and is kept in the URL.
    await page.getByLabel('Filter molecules').fill('glycer');
    await page.waitForURL((u) => u.searchParams.get('q') === 'glycer');
    await table.getByRole('row').filter({ hasText: DMSO_INCHIKEY }).waitFor({ state: 'detached' });
    await table.getByText(GLYCEROL_INCHIKEY).waitFor();

    pageErrors.assertClean();
  });

  it('adds a molecule, shows a SMILES error inline, and keeps the molecule after a reload', async () => {
    pageErrors.allow(/status of 422 .*\/api\/v1\/molecules\)$/);
    await page.goto(url('/molecules'));
    await moleculeTable(page).getByText(GLYCEROL_INCHIKEY).waitFor();

    const form = page.getByRole('region', { name: 'Add molecule' });
    const smiles = form.getByLabel('SMILES');
    await smiles.fill('CC(C)O');
    await form.getByLabel(/^Name/).fill('Isopropanol');
    await form.getByRole('button', { name: 'Add molecule' }).click();

    const result = page.getByTestId('add-result');
    await result.getByText(ISOPROPANOL_INCHIKEY).waitFor();
    // Against a fresh database the structure is new; an external instance may have it from an earlier run.
    expect(await result.textContent()).toMatch(freshDatabase ? /^Added Isopropanol/ : /^(Added |Already in the library: )Isopropanol/);
    expect(await loadedWidth(result.locator('img'))).toBeGreaterThan(0);
    const addedRow = moleculeTable(page).getByRole('row').filter({ hasText: ISOPROPANOL_INCHIKEY });
    await addedRow.waitFor();
    expect(await addedRow.getByRole('rowheader').textContent()).toBe('Isopropanol');
    expect(await addedRow.getByRole('cell').nth(1).textContent()).toBe('CC(C)O');
    expect(await smiles.inputValue()).toBe(''); // the form is ready for the next one

    // An unclosed ring: the server answers 422 naming the smiles field; the UI puts it next to that field.
    await smiles.fill('C1CC');
    await form.getByRole('button', { name: 'Add molecule' }).click();
    await expect.poll(() => smiles.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await smiles.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ')[0] ?? '';
    const fieldError = page.locator(`[id="${errorId}"]`);
    expect(await fieldError.getAttribute('class')).toBe('field-error');
    expect((await fieldError.textContent())?.trim().length).toBeGreaterThan(0);
    // It sits inside the SMILES field's group, not in a generic banner.
    const smilesGroup = form.locator('.field').filter({ has: page.locator('input[name="smiles"]') });
    expect(await smilesGroup.locator('.field-error').count()).toBe(1);
    expect(await form.getByRole('alert').count()).toBe(0);
    await expect.poll(() => smiles.evaluate((el) => el === (el as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement)).toBe(true);
    await loadAllImages(moleculeTable(page).locator('tbody img'));
    await page.evaluate('window.scrollTo(0, 0)'); // the form column is sticky; show it at the top
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Editing the field clears the stale error.
    await smiles.fill('C1CC1');
    expect(await smiles.getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator(`[id="${errorId}"]`).count()).toBe(0);

    await page.reload();
    const rowAfterReload = moleculeTable(page).getByRole('row').filter({ hasText: ISOPROPANOL_INCHIKEY });
    await rowAfterReload.waitFor();
    expect(await rowAfterReload.getByRole('rowheader').textContent()).toBe('Isopropanol');

    // Adding the same structure again returns the existing entry instead of a duplicate.
    await form.getByLabel('SMILES').fill('OC(C)C');
    await form.getByRole('button', { name: 'Add molecule' }).click();
    await result.getByText(/^Already in the library/).waitFor();
    expect(await result.textContent()).toContain(ISOPROPANOL_INCHIKEY);
    expect(await moleculeTable(page).getByRole('row').filter({ hasText: ISOPROPANOL_INCHIKEY }).count()).toBe(1);

    pageErrors.assertClean();
  });

  it('opens a molecule by link and by deep link, and Back returns to the list', async () => {
    pageErrors.allow(/status of 404 .*\/api\/v1\/molecules\/00000000-0000-4000-8000-000000000000\)$/);
    await page.goto(url('/molecules'));
    const table = moleculeTable(page);
    await table.getByRole('link', { name: 'Glycerol', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Glycerol' }).waitFor();
    const detailPath = new URL(page.url()).pathname;
    expect(detailPath).toMatch(/^\/molecules\/[0-9a-f-]{36}$/);
    const facts = page.locator('dl.facts');
    await facts.getByText(GLYCEROL_INCHIKEY).waitFor();
    expect(await facts.textContent()).toContain('92.09 g/mol');
    const large = page.getByRole('img', { name: 'Structure of Glycerol' });
    expect(await loadedWidth(large)).toBeGreaterThan(0);
    await page.screenshot({ path: DETAIL_SCREENSHOT, fullPage: true });

    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Molecules' }).waitFor();
    await table.getByText(DMSO_INCHIKEY).waitFor();
    await page.goForward();
    await page.getByRole('heading', { level: 1, name: 'Glycerol' }).waitFor();

    // A reload on a client-side route must come back to the same page (server SPA fallback).
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Glycerol' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Molecules' }).getAttribute('aria-current')).toBe('page');

    await page.goto(url('/molecules/00000000-0000-4000-8000-000000000000'));
    await page.getByRole('heading', { level: 1, name: 'Molecule not found' }).waitFor();

    pageErrors.assertClean();
  });

  it('has a real page for the last area that was "not available yet" (Models), and a not-found page', async () => {
    await page.goto(url('/'));
    await page.getByRole('heading', { level: 1, name: 'CryoProtect' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Models' }).click();
    await page.getByRole('heading', { level: 1, name: 'Models' }).waitFor();
    await page.getByRole('form', { name: 'Train a model' }).waitFor();
    expect(await page.getByText(/^Not available yet/).count()).toBe(0);
    await page.goto(url('/no/such/page'));
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    pageErrors.assertClean();
  });
});
