// The Operations page in a real browser: the administrator's health report and "Back up now".
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/app/server.ts';
import { APP_VERSION } from '../src/app/runtime.ts';
import { openTestDatabase, type TestDatabase } from '../test/helpers/databases.ts';
import { chromiumAvailable, collectPageErrors, launchBrowser, type E2EBrowser } from './browser.ts';

const SCREENSHOT = '/tmp/e2e-operations.png';

describe.skipIf(!chromiumAvailable())(`operations page${chromiumAvailable() ? '' : ' [skipped: no Chromium]'}`, () => {
  let root: string;
  let db: TestDatabase;
  let app: FastifyInstance;
  let base: string;
  let browser: E2EBrowser;
  let page: Page;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cryoprotect-e2e-ops-'));
    db = await openTestDatabase('pglite', { env: { BACKUP_DIR: join(root, 'backups') } });
    app = await buildServer({ ...db.runtime, version: APP_VERSION });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('shows every health check with its status, and takes a backup that the report then sees', async () => {
    const errors = collectPageErrors(page);
    await page.goto(`${base}/`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();
    const table = page.getByTestId('health-table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(15);
    expect(await table.locator('tbody tr[data-status="warning"] th').allTextContents()).toContain('backup');
    expect(await page.getByTestId('health-status').textContent()).toMatch(/Overall: Warning/);

    await page.getByRole('button', { name: 'Back up now' }).click();
    const status = page.getByRole('status').filter({ hasText: 'Backup written' });
    await status.waitFor();
    const path = (await status.locator('code').textContent()) ?? '';
    expect(path).toMatch(/cryoprotect-\d{8}T\d{9}Z-pglite\.ndjson\.gz$/);
    expect(existsSync(path)).toBe(true);
    await page.getByRole('list').filter({ hasText: 'pglite' }).waitFor();
    const backupRow = table.locator('tbody tr', { hasText: 'newest backup' });
    await backupRow.waitFor();
    expect(await backupRow.getAttribute('data-status')).toBe('ok');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    errors.assertClean();
  });
});
