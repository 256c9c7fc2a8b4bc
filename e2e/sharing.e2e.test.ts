// Sharing in real browsers (issue 7): an owner creates share links from the formulation and experiment pages,
// a visitor without an account opens them in a fresh browser, a password-protected link asks for its password,
// a revoked link says so, and "Make public" lets another signed-in account read the formulation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, collectPageErrors, launchBrowser, type E2EBrowser, type PageErrorLog } from './browser.ts';

const chromiumPath = chromiumAvailable();
const suiteName = chromiumPath
  ? 'share links and visibility UI in Chromium'
  : 'share links and visibility UI in Chromium — SKIPPED: no chromium executable (install Debian chromium or set CHROMIUM_PATH)';

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/e2e-sharing-${name}.png`, fullPage: true });

/** Calls the API with the page's session cookie and CSRF header, as the UI does (page.request shares the cookies). */
async function api<T>(page: Page, base: string, method: string, path: string, body?: unknown): Promise<T> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'cryoprotect_csrf')?.value ?? '';
  const response = await page.request.fetch(`${base}${path}`, { method, headers: { 'x-csrf-token': csrf }, ...(body === undefined ? {} : { data: body }) });
  if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

describe.skipIf(!chromiumPath)(suiteName, () => {
  let server: { url: string; close(): Promise<void> } | undefined;
  let ownerBrowser: E2EBrowser | undefined;
  let owner: Page;
  let ownerErrors: PageErrorLog;
  const tag = Date.now();
  const mixtureName = `Shared glycerol ${tag}`;
  let mixtureId = '';
  let experimentId = '';
  const links: Record<string, string> = {};

  /** A browser with no session at all: the share link's intended reader. */
  async function anonymous<T>(work: (page: Page, errors: PageErrorLog) => Promise<T>): Promise<T> {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(20_000);
      const errors = collectPageErrors(page);
      const result = await work(page, errors);
      errors.assertClean();
      return result;
    } finally {
      await browser.close();
    }
  }

  async function signUp(page: Page, name: string, email: string) {
    await page.goto(`${server!.url}/signup`);
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/projects$/);
  }

  async function createLink(page: Page, options: { days: string; password?: string }): Promise<string> {
    await page.getByRole('button', { name: 'Share link…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share a read-only link' });
    await dialog.getByLabel('Valid for (days)').fill(options.days);
    if (options.password) await dialog.getByLabel('Password (optional)').fill(options.password);
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const url = await dialog.getByTestId('share-url').inputValue();
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await dialog.getByRole('status').filter({ hasText: /Copied|copy it/ }).waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'hidden' });
    return url;
  }

  beforeAll(async () => {
    const { startAppServer } = await import('../test/helpers/app-server.ts');
    [server, ownerBrowser] = await Promise.all([startAppServer({ env: { AUTH_MODE: 'accounts' } }), launchBrowser()]);
    await ownerBrowser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    owner = await ownerBrowser.newPage();
    owner.setDefaultTimeout(20_000);
    ownerErrors = collectPageErrors(owner);
    await signUp(owner, 'Olga Owner', `olga-${tag}@lab.test`);
    const project = await api<{ id: string }>(owner, server.url, 'POST', '/api/v1/projects', { name: `Sharing lab ${tag}` });
    mixtureId = (await api<{ id: string }>(owner, server.url, 'POST', '/api/v1/mixtures', {
      name: mixtureName, projectId: project.id, components: [{ inchikey: 'PEDCQBHIVMGVHV-UHFFFAOYSA-N', amount: 40, unit: '%w/w' }],
    })).id;
    experimentId = (await api<{ id: string }>(owner, server.url, 'POST', '/api/v1/experiments', {
      projectId: project.id, mixtureId, title: `Shared thaw run ${tag}`, sample: { name: 'HUVEC', kind: 'cell' },
      protocol: { loading: [], removal: [] }, results: [{ measurement: 'post_thaw_viability', unit: '%', replicates: [81, 79, 83] }],
    })).id;
  });

  afterAll(async () => {
    await ownerBrowser?.close();
    await server?.close();
  });

  it('the owner creates a share link from the formulation page and copies its URL', async () => {
    await owner.goto(`${server!.url}/formulations/${mixtureId}`);
    await owner.getByRole('heading', { name: 'Sharing' }).waitFor();
    await expect(owner.getByTestId('visibility-badge').textContent()).resolves.toBe('Project only');
    links.open = await createLink(owner, { days: '3' });
    expect(links.open).toMatch(new RegExp(`^${server!.url}/shared/cpl_[A-Za-z0-9_-]+$`));
    await expect(owner.evaluate('navigator.clipboard.readText()')).resolves.toBe(links.open);
    const table = owner.getByRole('table', { name: 'Share links' });
    await expect(table.locator('tbody tr').count()).resolves.toBe(1);
    await expect(table.locator('tbody tr').first().textContent()).resolves.toContain('Active');
    await shot(owner, 'owner-links');
  });

  it('a visitor without an account opens it and reads the formulation', async () => {
    await anonymous(async (page) => {
      await page.goto(links.open!);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(mixtureName);
      await page.getByRole('row', { name: /Glycerol/i }).first().waitFor();
      await page.getByText('A read-only copy shared from CryoProtect').waitFor();
      // Read-only: no sharing controls, no edit or delete.
      await expect(page.getByRole('button', { name: /Edit|Delete|Share link/ }).count()).resolves.toBe(0);
      await shot(page, 'anonymous-mixture');
    });
    await owner.reload();
    await expect(owner.getByRole('table', { name: 'Share links' }).locator('tbody tr').first().textContent()).resolves.toContain('1 time');
  });

  it('a password-protected link asks for the password and refuses a wrong one', async () => {
    links.protected = await createLink(owner, { days: '1', password: 'lab-secret-42' });
    await anonymous(async (page, errors) => {
      errors.allow(/status of 401/);
      await page.goto(links.protected!);
      await page.getByRole('heading', { name: 'This shared link needs a password' }).waitFor();
      await page.getByLabel('Password').fill('not the one');
      await page.getByRole('button', { name: 'Open' }).click();
      await page.getByText('That password is not right.').waitFor();
      await page.getByLabel('Password').fill('lab-secret-42');
      await page.getByRole('button', { name: 'Open' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(mixtureName);
      await shot(page, 'anonymous-password');
    });
  });

  it('a revoked link tells the visitor it no longer works', async () => {
    // Newest first: the password-protected link is on top, the open one below it.
    const openRow = owner.getByRole('table', { name: 'Share links' }).locator('tbody tr').last();
    await expect(openRow.locator('td').nth(2).textContent()).resolves.toBe('No');
    await openRow.getByRole('button', { name: /^Revoke/ }).click();
    await owner.getByRole('group', { name: 'Stop this link now?' }).getByRole('button', { name: 'Revoke' }).click();
    await owner.getByRole('cell', { name: 'Revoked' }).waitFor();
    await anonymous(async (page, errors) => {
      errors.allow(/status of 404/);
      await page.goto(links.open!);
      await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
      await page.getByText('does not exist, has expired or was revoked').waitFor();
      await expect(page.locator('main').textContent()).resolves.not.toContain(mixtureName);
    });
  });

  it('an experiment is shared with its results from the experiment page', async () => {
    await owner.goto(`${server!.url}/experiments/${experimentId}`);
    const url = await createLink(owner, { days: '7' });
    await anonymous(async (page) => {
      await page.goto(url);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Shared thaw run ${tag}`);
      const row = page.getByRole('row', { name: /post_thaw_viability/ });
      await expect(row.textContent()).resolves.toContain('81');
      await page.getByText(mixtureName).waitFor();
      await shot(page, 'anonymous-experiment');
    });
  });

  it('"Make public" lets another signed-in account read the formulation; "Make private" hides it again', async () => {
    const other = await launchBrowser();
    try {
      const reader = await other.newPage();
      reader.setDefaultTimeout(20_000);
      const readerErrors = collectPageErrors(reader);
      readerErrors.allow(/status of 404 .*\/api\/v1\/mixtures\//);
      await signUp(reader, 'Rita Reader', `rita-${tag}@lab.test`);
      await reader.goto(`${server!.url}/formulations/${mixtureId}`);
      await reader.getByRole('heading', { name: 'Formulation not found' }).waitFor();

      await owner.goto(`${server!.url}/formulations/${mixtureId}`);
      await owner.getByRole('button', { name: 'Make public' }).click();
      await owner.getByRole('group', { name: /Every signed-in account will be able to read it/ }).getByRole('button', { name: 'Make public' }).click();
      await owner.getByTestId('visibility-badge').filter({ hasText: 'Public' }).waitFor();
      await shot(owner, 'public');

      await reader.reload();
      await expect(reader.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(mixtureName);
      await expect(reader.getByTestId('visibility-badge').textContent()).resolves.toBe('Public');
      // Not a member: no controls to change it, no share links, no edit.
      await expect(reader.getByRole('button', { name: /Make private|Share link/ }).count()).resolves.toBe(0);

      await owner.getByRole('button', { name: 'Make private' }).click();
      await owner.getByRole('group', { name: /Only project members will see/ }).getByRole('button', { name: 'Make private' }).click();
      await owner.getByTestId('visibility-badge').filter({ hasText: 'Project only' }).waitFor();
      await reader.reload();
      await reader.getByRole('heading', { name: 'Formulation not found' }).waitFor();
      readerErrors.assertClean();
    } finally {
      await other.close();
    }
    ownerErrors.assertClean();
  });
});
