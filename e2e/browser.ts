// Browser harness for end-to-end tests: drives the system's Chromium (Debian's `chromium`
// package, or CHROMIUM_PATH) through playwright-core. It never downloads a browser; when none is
// installed the tests are reported as skipped, not passed.
import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Path of the Chromium executable to use, or null when there is none.
 * CHROMIUM_PATH wins; a CHROMIUM_PATH that is not an executable is a configuration mistake and
 * throws instead of quietly skipping the browser tests.
 */
export function chromiumAvailable(): string | null {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (isExecutableFile(configured)) return configured;
    throw new Error(`CHROMIUM_PATH is set to ${configured}, which is not an executable file`);
  }
  // The same lookup `which chromium` does, without depending on the `which` binary.
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = path.join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

export interface E2EBrowser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  /** Close the browser and delete its profile directory. */
  close(): Promise<void>;
}

/** Launch headless Chromium with a fresh, throw-away user-data directory. */
export async function launchBrowser(): Promise<E2EBrowser> {
  const executablePath = chromiumAvailable();
  if (!executablePath) throw new Error('No Chromium executable found: install chromium or set CHROMIUM_PATH');
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'cryoprotect-e2e-profile-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1400, height: 900 },
      timeout: 60_000,
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      try {
        await context.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

export interface PageErrorLog {
  /** Everything that went wrong so far, one line each. */
  readonly errors: readonly string[];
  /** Accept errors matching `pattern` (e.g. the 422 a validation test provokes on purpose). */
  allow(pattern: RegExp): void;
  /** Throw, listing every unexpected error, if there was any. */
  assertClean(): void;
}

function describeConsole(message: ConsoleMessage): string {
  const where = message.location().url;
  return where ? `console: ${message.text()} (${where})` : `console: ${message.text()}`;
}

/**
 * Record console errors, uncaught exceptions and failed requests on `page`, so a test can fail
 * on anything the page itself complained about.
 */
export function collectPageErrors(page: Page): PageErrorLog {
  const errors: string[] = [];
  const allowed: RegExp[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(describeConsole(message));
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.stack ?? error.message}`));
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'unknown error';
    // Aborts are normal: react-query cancels superseded requests, navigation cancels lazy images.
    if (failure.includes('ERR_ABORTED')) return;
    errors.push(`request failed: ${request.method()} ${request.url()}: ${failure}`);
  });
  return {
    errors,
    allow(pattern) {
      allowed.push(pattern);
    },
    assertClean() {
      const unexpected = errors.filter((e) => !allowed.some((p) => p.test(e)));
      if (unexpected.length > 0) {
        throw new Error(`The page reported ${unexpected.length} error(s):\n${unexpected.join('\n')}`);
      }
    },
  };
}
