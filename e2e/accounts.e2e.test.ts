// Accounts and project sharing in two real browsers (two users) against the full app in AUTH_MODE=accounts:
// sign-up → create project → invite → the invitee joins at sign-up → role change → removal → access denied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, collectPageErrors, launchBrowser, type E2EBrowser, type PageErrorLog } from './browser.ts';

const chromiumPath = chromiumAvailable();
const suiteName = chromiumPath
  ? 'accounts and project sharing UI in Chromium'
  : 'accounts and project sharing UI in Chromium — SKIPPED: no chromium executable (install Debian chromium or set CHROMIUM_PATH)';

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/e2e-accounts-${name}.png`, fullPage: true });

describe.skipIf(!chromiumPath)(suiteName, () => {
  let server: { url: string; close(): Promise<void> } | undefined;
  let browserA: E2EBrowser | undefined;
  let browserB: E2EBrowser | undefined;
  let alice: Page;
  let bob: Page;
  let aliceErrors: PageErrorLog;
  let bobErrors: PageErrorLog;
  const tag = Date.now();
  const A = { name: 'Alice Ames', email: `alice-${tag}@lab.test`, password: 'correct horse battery staple' };
  const B = { name: 'Bob Byrne', email: `bob-${tag}@lab.test`, password: 'another long passphrase' };
  const projectName = 'Kidney vitrification';
  let projectUrl = '';

  beforeAll(async () => {
    const { startAppServer } = await import('../test/helpers/app-server.ts');
    // Two persistent browser profiles: two cookie jars, so two people signed in at once.
    [server, browserA, browserB] = await Promise.all([startAppServer({ env: { AUTH_MODE: 'accounts' } }), launchBrowser(), launchBrowser()]);
    alice = await browserA.newPage();
    bob = await browserB.newPage();
    for (const page of [alice, bob]) page.setDefaultTimeout(20_000);
    aliceErrors = collectPageErrors(alice);
    bobErrors = collectPageErrors(bob);
  });

  afterAll(async () => {
    await browserA?.close();
    await browserB?.close();
    await server?.close();
  });

  async function signUp(page: Page, who: typeof A) {
    await page.goto(`${server!.url}/signup`);
    await page.getByLabel('Name').fill(who.name);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/projects$/);
    await expect(page.getByTestId('account-menu').textContent()).resolves.toContain(who.name);
  }

  it('sends an anonymous visitor of a data page to sign in', async () => {
    bobErrors.allow(/status of 401 .*\/api\/v1\/molecules/);
    await bob.goto(`${server!.url}/molecules`);
    await bob.waitForURL(/\/signin\?next=%2Fmolecules/);
    await expect(bob.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');
    await bob.getByRole('link', { name: 'Sign in' }).waitFor();
    await shot(bob, 'signin');
  });

  it('the first account becomes administrator; an owner creates a project and invites an unknown email', async () => {
    await signUp(alice, A);
    await alice.getByTestId('account-menu').getByText('admin').waitFor();
    await alice.getByText('You are not a member of any project yet').waitFor();
    await alice.getByLabel('Project name').fill(projectName);
    await alice.getByRole('button', { name: 'Create project' }).click();
    await alice.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    projectUrl = alice.url();
    await expect(alice.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(projectName);
    await expect(alice.getByTestId('my-role').textContent()).resolves.toBe('owner');

    await alice.getByRole('form', { name: 'Invite a member' }).getByLabel('Email').fill(B.email);
    await alice.getByLabel('Role', { exact: true }).selectOption('viewer');
    await alice.getByRole('button', { name: 'Invite' }).click();
    await expect(alice.getByTestId('invite-result').textContent()).resolves.toContain(`Invited ${B.email} as viewer`);
    await alice.getByTestId('invitations').getByText(B.email).waitFor();
    await shot(alice, 'project-owner');
  });

  it('the invitee signs up with that email and sees the project with role viewer', async () => {
    await signUp(bob, B);
    await expect(bob.getByTestId('account-menu').getByText('admin').count()).resolves.toBe(0);
    const row = bob.getByTestId('projects-table').getByRole('row', { name: new RegExp(projectName) });
    await expect(row.textContent()).resolves.toContain('viewer');
    await row.getByRole('link', { name: projectName }).click();
    await bob.waitForURL(projectUrl);
    await expect(bob.getByTestId('my-role').textContent()).resolves.toBe('viewer');
    // A viewer gets neither the invite form nor the delete zone, and no role controls.
    await expect(bob.getByRole('form', { name: 'Invite a member' }).count()).resolves.toBe(0);
    await expect(bob.getByRole('heading', { name: 'Delete project' }).count()).resolves.toBe(0);
    await expect(bob.getByRole('combobox').count()).resolves.toBe(0);
    await shot(bob, 'project-viewer');
  });

  it('the owner changes the role to editor and the member sees it after reloading', async () => {
    await alice.reload();
    const roleSelect = alice.getByLabel(`Role of ${B.name}`);
    await expect(roleSelect.inputValue()).resolves.toBe('viewer');
    await roleSelect.selectOption('editor');
    await alice.getByText(`${B.name} is now editor.`).waitFor();
    await bob.reload();
    await expect(bob.getByTestId('my-role').textContent()).resolves.toBe('editor');
  });

  it('the owner removes the member, who then gets "not found" and none of the project data', async () => {
    bobErrors.allow(/status of 404 .*\/api\/v1\/projects\//);
    await alice.getByRole('button', { name: `Remove ${B.name}` }).click();
    await alice.getByRole('group', { name: `Remove ${B.name}?` }).getByRole('button', { name: 'Remove' }).click();
    await alice.getByText(`${B.name} was removed from the project.`).waitFor();
    await alice.getByTestId('members-table').getByText(B.email).waitFor({ state: 'detached' });
    // The owner's audit view records the sharing history, newest first.
    await alice.getByRole('link', { name: 'Audit log' }).click();
    const audit = alice.getByTestId('audit-table');
    await audit.getByText('member removed').waitFor();
    const actions = await audit.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(actions.indexOf('member removed')).toBeLessThan(actions.indexOf('role changed'));
    expect(actions).toContain('member invited');
    await shot(alice, 'audit');

    await bob.reload();
    await expect(bob.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Project not found');
    const body = await bob.locator('main').textContent();
    expect(body).not.toContain(projectName);
    expect(body).not.toContain(A.email);
    await expect(bob.getByTestId('members-table').count()).resolves.toBe(0);
    await shot(bob, 'access-denied');
    await bob.goto(`${server!.url}/projects`);
    await bob.getByText('You are not a member of any project yet').waitFor();
  });

  it('an API token is shown once with a warning, and listed without its secret', async () => {
    await alice.goto(`${server!.url}/account`);
    await alice.getByLabel('Token name').fill('analysis notebook');
    await alice.getByLabel('Scope').selectOption('write');
    await alice.getByRole('button', { name: 'Create token' }).click();
    const secret = await alice.getByTestId('token-secret').textContent();
    expect(secret).toMatch(/^cpt_/);
    await expect(alice.getByTestId('new-token').textContent()).resolves.toContain('will not be shown again');
    await expect(alice.getByTestId('tokens-table').textContent()).resolves.toContain('analysis notebook');
    await alice.getByTestId('sessions-table').getByText('this browser').waitFor();
    await shot(alice, 'account');
    await alice.getByRole('button', { name: 'I have stored it' }).click();
    await alice.reload();
    await expect(alice.locator('main').textContent()).resolves.not.toContain(secret);
  });

  it('a wrong password gets the generic error; sign-out and sign-in with a return path work', async () => {
    bobErrors.allow(/status of 401 .*\/api\/v1\/auth\/signin/);
    await bob.getByRole('button', { name: 'Sign out' }).click();
    await bob.waitForURL(/\/signin$/);
    await bob.getByRole('link', { name: 'Sign in' }).waitFor();
    await bob.getByLabel('Email').fill(B.email);
    await bob.getByLabel('Password').fill('not my password at all');
    await bob.getByRole('button', { name: 'Sign in' }).click();
    await expect(bob.getByRole('alert').textContent()).resolves.toBe('Email or password is wrong.');
    await shot(bob, 'wrong-password');
    // Signing in from a redirect returns to the page that asked for it.
    await bob.goto(`${server!.url}/signin?next=%2Fprojects`);
    await bob.getByLabel('Email').fill(B.email);
    await bob.getByLabel('Password').fill(B.password);
    await bob.getByRole('button', { name: 'Sign in' }).click();
    await bob.waitForURL(/\/projects$/);
    await bob.getByTestId('account-menu').getByText(B.name).waitFor();
  });

  it('reported no unexpected page errors', () => {
    aliceErrors.assertClean();
    bobErrors.assertClean();
  });
});

describe.skipIf(!chromiumPath)(`${suiteName} — local mode`, () => {
  let server: { url: string; close(): Promise<void> } | undefined;
  let browser: E2EBrowser | undefined;

  beforeAll(async () => {
    const { startAppServer } = await import('../test/helpers/app-server.ts');
    [server, browser] = await Promise.all([startAppServer({ env: { AUTH_MODE: 'local' } }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('has no sign-in or sign-out, and projects work for the built-in administrator', async () => {
    const page = await browser!.newPage();
    page.setDefaultTimeout(20_000);
    const errors = collectPageErrors(page);
    await page.goto(`${server!.url}/projects`);
    await page.getByTestId('server-status').getByText('admin', { exact: true }).waitFor();
    await expect(page.getByRole('link', { name: 'Sign in' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);
    await page.getByLabel('Project name').fill('Local project');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('my-role').textContent()).resolves.toBe('owner');
    await page.goto(`${server!.url}/signin`);
    await page.getByText('No accounts on this server').waitFor();
    await shot(page, 'local-mode');
    errors.assertClean();
  });
});
