// The lab verification workflow in three real browsers (three people) against the full app in AUTH_MODE=accounts:
// an owner sets up a project with an author (editor) and a reviewer; the author records an experiment with
// replicates (the server's 422s appear at the field), submits it and cannot verify it; the reviewer takes it
// from the review queue, starts review and verifies it with a comment; the author sees "verified" and the timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, collectPageErrors, launchBrowser, type E2EBrowser, type PageErrorLog } from './browser.ts';

const chromiumPath = chromiumAvailable();
const suiteName = chromiumPath
  ? 'experiments and verification UI in Chromium'
  : 'experiments and verification UI in Chromium — SKIPPED: no chromium executable (install Debian chromium or set CHROMIUM_PATH)';

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/e2e-experiments-${name}.png`, fullPage: true });
const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

describe.skipIf(!chromiumPath)(suiteName, () => {
  let server: { url: string; close(): Promise<void> } | undefined;
  const browsers: E2EBrowser[] = [];
  let owner: Page;
  let author: Page;
  let reviewer: Page;
  const errors: PageErrorLog[] = [];
  const tag = Date.now();
  const O = { name: 'Olga Owner', email: `owner-${tag}@lab.test`, password: 'owner passphrase long enough' };
  const A = { name: 'Arun Author', email: `author-${tag}@lab.test`, password: 'author passphrase long enough' };
  const R = { name: 'Rosa Reviewer', email: `reviewer-${tag}@lab.test`, password: 'reviewer passphrase long enough' };
  const title = 'Jurkat in 60 % glycerol, slow cooling';
  let projectId = '';
  let experimentUrl = '';

  beforeAll(async () => {
    const { startAppServer } = await import('../test/helpers/app-server.ts');
    // Three persistent profiles: three cookie jars, three people signed in at once.
    const [app, b1, b2, b3] = await Promise.all([startAppServer({ env: { AUTH_MODE: 'accounts' } }), launchBrowser(), launchBrowser(), launchBrowser()]);
    server = app;
    browsers.push(b1, b2, b3);
    [owner, author, reviewer] = await Promise.all([b1.newPage(), b2.newPage(), b3.newPage()]);
    for (const page of [owner, author, reviewer]) {
      page.setDefaultTimeout(20_000);
      errors.push(collectPageErrors(page));
    }
  });

  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await server?.close();
  });

  async function signUp(page: Page, who: typeof A) {
    await page.goto(`${server!.url}/signup`);
    await page.getByLabel('Name').fill(who.name);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/projects$/);
  }

  /** A write through the browser's own session, carrying the CSRF header the page would send. */
  async function apiWrite(page: Page, url: string, body: object) {
    const csrf = (await page.context().cookies()).find((c) => c.name === 'cryoprotect_csrf')?.value ?? '';
    return page.request.post(`${server!.url}${url}`, { data: body, headers: { 'x-csrf-token': csrf } });
  }

  it('the owner creates a project and invites an author (editor) and a reviewer', async () => {
    await signUp(owner, O);
    await owner.getByLabel('Project name').fill('Cell banking');
    await owner.getByRole('button', { name: 'Create project' }).click();
    await owner.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    projectId = owner.url().split('/').pop()!;
    for (const [who, role] of [[A, 'editor'], [R, 'reviewer']] as const) {
      await owner.getByRole('form', { name: 'Invite a member' }).getByLabel('Email').fill(who.email);
      await owner.getByLabel('Role', { exact: true }).selectOption(role);
      await owner.getByRole('button', { name: 'Invite' }).click();
      await owner.getByTestId('invite-result').getByText(`Invited ${who.email} as ${role}`).waitFor();
    }
  });

  it('the author records an experiment with replicates; the server\'s 422s appear at the fields', async () => {
    await signUp(author, A);
    const mixture = await apiWrite(author, '/api/v1/mixtures', {
      name: '60 % glycerol', projectId, components: [{ inchikey: 'PEDCQBHIVMGVHV-UHFFFAOYSA-N', amount: 60, unit: '%w/w' }],
    });
    expect(mixture.status()).toBe(201);

    await author.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Experiments' }).click();
    await author.getByRole('heading', { level: 1, name: 'Experiments' }).waitFor();
    await author.getByText('You have not recorded any experiment yet.').waitFor();
    await author.getByRole('link', { name: 'Record experiment' }).click();
    await author.getByRole('heading', { level: 1, name: 'Record experiment' }).waitFor();

    // The only project the author can write to is chosen already; reference recipes are offered too.
    await expect.poll(() => author.getByLabel(/^Project/).inputValue()).toBe(projectId);
    await author.getByLabel(/^Formulation/).selectOption({ label: '60 % glycerol' });
    await author.getByLabel(/^Title/).fill(title);
    await author.getByLabel(/^Sample name/).fill('Jurkat');
    await author.getByLabel('Kind').selectOption('cell');
    await author.getByLabel('Species').fill('Homo sapiens');
    const loading = author.getByRole('group', { name: 'Loading step 1' });
    await loading.getByLabel('Amount').fill('60');
    await loading.getByLabel('Step unit').selectOption('%w/w');
    await loading.getByLabel('Duration (min)').fill('10');
    await loading.getByLabel('Temperature (°C)').fill('22');
    await author.getByRole('button', { name: 'Add removal step' }).click();
    const removal = author.getByRole('group', { name: 'Removal step 1' });
    await removal.getByLabel('Strength given as').selectOption('fraction');
    await removal.getByLabel('Fraction of final (0–1)').fill('0.5');
    await removal.getByLabel('Duration (min)').fill('5');
    await removal.getByLabel('Temperature (°C)').fill('22');
    await author.getByLabel('Cooling rate (K/min)').fill('1');
    await author.getByLabel('Warming rate (K/min)').fill('100');
    await author.getByLabel('Storage temperature (°C)').fill('-196');
    await author.getByLabel('Storage duration (days)').fill('7');
    await author.getByLabel('Operator').fill('A. Author');
    await author.getByLabel('Equipment').fill('CoolCell + LN2 dewar');

    const viability = author.getByRole('group', { name: 'Result 1' });
    await viability.getByLabel('Replicates').fill('78, 82, 86');
    // Mean, SD and n follow the typing.
    await expect.poll(async () => squash(await viability.getByTestId('replicate-stats').textContent())).toBe('mean 82 ± 4 % (n = 3)');

    await author.getByRole('button', { name: 'Add result' }).click();
    const tg = author.getByRole('group', { name: 'Result 2' });
    await tg.getByLabel('Measurement').selectOption('glass_transition');
    await tg.getByLabel('Unit').selectOption('K');
    await tg.getByLabel('Replicates').fill('178, 999');
    errors[1]!.allow(/status of 422/);
    await author.getByRole('button', { name: 'Save draft' }).click();
    // 999 K is outside the physical range and a Tg needs its DSC convention and heating rate: said at each field.
    await tg.getByText(/must be between 1 and 800 K \(got 999 K\)/).waitFor();
    await tg.getByText(/needs dscConvention/).waitFor();
    await tg.getByText(/needs heatingRateKPerMin/).waitFor();
    await expect(author.getByRole('alert').first().textContent()).resolves.toContain('not valid');
    await expect(tg.getByLabel('Replicates').getAttribute('aria-invalid')).resolves.toBe('true');
    await shot(author, 'form-422');

    await tg.getByLabel('Replicates').fill('178, 180');
    await tg.getByLabel('DSC convention').selectOption('midpoint');
    await tg.getByLabel('Heating rate (K/min)').fill('10');
    await author.getByRole('button', { name: 'Save draft' }).click();
    await author.waitForURL(/\/experiments\/[0-9a-f-]{36}$/);
    experimentUrl = author.url();
    await author.getByRole('heading', { level: 1, name: title }).waitFor();
    await expect(author.getByTestId('state-badge').first().textContent()).resolves.toBe('draft');
    const results = squash(await author.getByTestId('results').textContent());
    expect(results).toContain('82 %');
    expect(results).toContain('178, 180');
    const protocol = squash(await author.getByTestId('protocol').textContent());
    expect(protocol).toContain('60 %w/w for 10 min at 22 °C');
    expect(protocol).toContain('50 % of final for 5 min at 22 °C');
    // The Tg is compared with the formulation's Gordon–Taylor estimate; viability has no model yet.
    const tgRow = author.getByTestId('comparison').getByRole('row').filter({ hasText: 'Glass transition' });
    await expect(tgRow.textContent()).resolves.toMatch(/179 ± 1\.414 K \(n = 2\)\d+(\.\d+)? K \(gordon-taylor\)/);
    await expect(tgRow.getByRole('cell').nth(2).textContent()).resolves.toMatch(/^[+-]?\d+(\.\d+)? K$/);

    // More results from a CSV file: the good row is added, the bad one is reported by line and field.
    await author.getByLabel('Results CSV file').setInputFiles({
      name: 'counts.csv', mimeType: 'text/csv',
      buffer: Buffer.from('measurement,unit,replicates\nrecovery,%,70;75;80\npost_thaw_viability,%,120\n'),
    });
    const report = author.getByTestId('import-report');
    await report.getByText('1 row(s) added, 1 row(s) not valid.').waitFor();
    await expect(report.getByRole('listitem').textContent()).resolves.toMatch(/^Line 3: replicates\[0\]: .*between 0 and 100/);
    await author.getByTestId('results').getByRole('row').filter({ hasText: 'Recovery' }).getByText('70, 75, 80').waitFor();
    // A raw data file goes with the record.
    await author.getByLabel('Attach a file').setInputFiles({ name: 'plate-reader.txt', mimeType: 'text/plain', buffer: Buffer.from('well,count\nA1,1200\n') });
    await author.getByTestId('attachments').getByRole('link', { name: 'plate-reader.txt' }).waitFor();
    await shot(author, 'draft');
  });

  it('the author submits; sees no verify button, and a direct attempt is refused by the server', async () => {
    await author.getByLabel('Comment').fill('Counts from the lab notebook, p. 41.');
    await author.getByRole('button', { name: 'Submit for review' }).click();
    await author.getByRole('status').getByText('Now submitted.').waitFor();
    await expect(author.getByTestId('state-badge').first().textContent()).resolves.toBe('submitted');
    await expect(author.getByRole('button', { name: 'Verify' }).count()).resolves.toBe(0);
    await expect(author.getByRole('button', { name: 'Start review' }).count()).resolves.toBe(0);
    await expect(author.getByTestId('no-actions').textContent()).resolves.toContain('you cannot review your own experiment');
    await expect(author.getByRole('link', { name: 'Edit' }).count()).resolves.toBe(0);

    const id = experimentUrl.split('/').pop()!;
    const startOwn = await apiWrite(author, `/api/v1/experiments/${id}/transitions`, { to: 'in_review' });
    expect(startOwn.status()).toBe(403);
    expect((await startOwn.json()).detail).toContain('reviewer role');
    const skip = await apiWrite(author, `/api/v1/experiments/${id}/transitions`, { to: 'verified' });
    expect(skip.status()).toBe(409);
    await shot(author, 'submitted');
  });

  it('the reviewer takes it from the review queue, starts review and verifies it with a comment', async () => {
    await signUp(reviewer, R);
    await reviewer.goto(`${server!.url}/experiments`);
    const queue = reviewer.getByTestId('review-queue');
    await queue.getByRole('row').filter({ hasText: 'submitted' }).getByRole('link', { name: title }).click();
    await reviewer.waitForURL(experimentUrl);
    // The page is a guide, the server the judge: start the review elsewhere (another tab, via the API), then press the
    // now stale button here; the server's 409 is shown in its own words.
    await reviewer.getByRole('button', { name: 'Start review' }).waitFor();
    const id = experimentUrl.split('/').pop()!;
    expect((await apiWrite(reviewer, `/api/v1/experiments/${id}/transitions`, { to: 'in_review' })).status()).toBe(200);
    errors[2]!.allow(/status of 409/);
    await reviewer.getByRole('button', { name: 'Start review' }).click();
    await expect(reviewer.getByRole('alert').textContent()).resolves.toMatch(/cannot go from in_review to in_review/);
    await shot(reviewer, 'refused');
    await reviewer.reload();
    await expect(reviewer.getByTestId('state-badge').first().textContent()).resolves.toBe('in review');
    await expect(reviewer.getByTestId('transition-actions').getByRole('button').allTextContents()).resolves.toEqual(['Verify', 'Request changes', 'Reject']);
    await reviewer.getByLabel('Comment').fill('Checked the raw counts and the DSC trace.');
    await reviewer.getByRole('button', { name: 'Verify' }).click();
    await reviewer.getByRole('status').getByText('Now verified.').waitFor();
    await expect(reviewer.getByTestId('state-badge').first().textContent()).resolves.toBe('verified');
    await reviewer.getByTestId('attachments').getByRole('link', { name: 'plate-reader.txt' }).waitFor();
    await expect(reviewer.getByLabel('Attach a file').count()).resolves.toBe(0);
    // Reviewers cannot record experiments, so no revision link for them.
    await expect(reviewer.getByRole('link', { name: 'New revision' }).count()).resolves.toBe(0);
    await reviewer.goto(`${server!.url}/experiments`);
    await reviewer.getByText('Nothing waits for your review.').waitFor();
    await shot(reviewer, 'queue-empty');
  });

  it('the author reloads and sees "verified" and the whole timeline; the exports carry it', async () => {
    await author.reload();
    await expect(author.getByTestId('state-badge').first().textContent()).resolves.toBe('verified');
    await author.getByTestId('timeline').waitFor();
    const timeline = author.getByTestId('timeline').getByRole('listitem');
    await expect(timeline.count()).resolves.toBe(3);
    const entries = (await timeline.allTextContents()).map(squash);
    expect(entries[0]).toMatch(new RegExp(`^${A.email} moved it from draft to submitted .*Counts from the lab notebook, p\\. 41\\.$`));
    expect(entries[1]).toContain(`${R.email} moved it from submitted to in review`);
    expect(entries[2]).toMatch(new RegExp(`^${R.email} moved it from in review to verified .*Checked the raw counts and the DSC trace\\.$`));
    await author.getByRole('link', { name: 'New revision' }).waitFor();
    await shot(author, 'verified');

    const csv = await author.request.get(`${server!.url}/api/v1/experiments/export?format=csv&projectId=${projectId}`);
    expect(csv.status()).toBe(200);
    const csvText = await csv.text();
    expect(csvText).toContain(title);
    expect(csvText).toContain(R.email);
    // Project statistics: one submitted experiment, verified, by this reviewer, with a Tg error against Gordon–Taylor.
    await author.goto(`${server!.url}/experiments?projectId=${projectId}`);
    const stats = author.getByTestId('project-stats');
    await stats.getByText(/1 verified — 100 % of submitted experiments verified/).waitFor();
    await expect(stats.getByRole('table', { name: 'By reviewer (review decisions)' }).textContent()).resolves.toContain(R.email);
    await expect(stats.textContent()).resolves.toMatch(/mean absolute error \d+(\.\d+)? K over 1 verified measurement/);
    await expect(author.getByRole('link', { name: 'Export JSON' }).getAttribute('href')).resolves.toBe(`/api/v1/experiments/export?format=json&projectId=${projectId}`);
    await shot(author, 'project-stats');
    await author.goto(`${server!.url}/experiments`);
    await expect(author.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).resolves.toBe('/api/v1/experiments/export?format=csv');
    await expect(author.getByTestId('my-experiments').getByRole('row').filter({ hasText: title }).getByTestId('state-badge').textContent()).resolves.toBe('verified');
  });

  it('editing the verified experiment opens revision 2 as a draft and leaves the verified one alone', async () => {
    await author.goto(experimentUrl);
    await author.getByRole('link', { name: 'New revision' }).click();
    await author.getByRole('heading', { level: 1, name: `New revision of “${title}”` }).waitFor();
    await expect(author.getByRole('group', { name: 'Result 1' }).getByLabel('Replicates').inputValue()).resolves.toBe('78, 82, 86');
    await author.getByRole('group', { name: 'Result 1' }).getByLabel('Replicates').fill('78, 82, 86, 90');
    await author.getByRole('button', { name: 'Save as new revision' }).click();
    await author.waitForURL((u) => /\/experiments\/[0-9a-f-]{36}$/.test(u.pathname) && u.href !== experimentUrl);
    await expect(author.getByTestId('state-badge').first().textContent()).resolves.toBe('draft');
    await author.getByText('revision 2').waitFor();
    await expect(squash(await author.getByTestId('results').textContent())).toContain('78, 82, 86, 90');
    await author.getByRole('link', { name: 'the previous revision' }).click();
    await author.waitForURL(experimentUrl);
    await expect(author.getByTestId('state-badge').first().textContent()).resolves.toBe('verified');
    await expect(squash(await author.getByTestId('results').textContent())).not.toContain('78, 82, 86, 90');
  });

  it('reported no unexpected page errors', () => {
    for (const log of errors) log.assertClean();
  });
});
