// Per-directory line-coverage gate over a vitest/istanbul json-summary report.
//
//   node .github/scripts/coverage-gate.mjs coverage/coverage-summary.json 90 src/science src/ml
//
// Vitest's global threshold would let a well-tested directory hide a poorly tested one, so each
// directory is summed and checked on its own. A directory with no covered files fails: it means its
// tests did not run or the include globs are wrong, not that it is fine.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const [summaryPath, thresholdArg, ...dirs] = process.argv.slice(2);
const threshold = Number(thresholdArg);
if (!summaryPath || !Number.isFinite(threshold) || dirs.length === 0) {
  console.error('usage: coverage-gate.mjs SUMMARY.json MIN_LINES_PERCENT DIR [DIR...]');
  process.exit(2);
}

const summary = JSON.parse(readFileSync(summaryPath, 'utf8'));
const root = process.cwd();

let failed = false;
for (const dir of dirs) {
  const prefix = path.resolve(root, dir) + path.sep;
  let total = 0;
  let covered = 0;
  let files = 0;
  for (const [file, metrics] of Object.entries(summary)) {
    if (file === 'total') continue;
    if (!path.resolve(root, file).startsWith(prefix)) continue;
    files += 1;
    total += metrics.lines.total;
    covered += metrics.lines.covered;
  }
  if (files === 0 || total === 0) {
    console.error(`FAIL ${dir}: no coverage data (did its tests run? is it in --coverage.include?)`);
    failed = true;
    continue;
  }
  const percent = (100 * covered) / total;
  const verdict = percent >= threshold ? 'ok  ' : 'FAIL';
  if (percent < threshold) failed = true;
  console.log(`${verdict} ${dir}: ${percent.toFixed(2)} % lines (${covered}/${total} in ${files} files, minimum ${threshold} %)`);
}
process.exit(failed ? 1 : 0);
