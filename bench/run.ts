import { benchImport } from './import.ts';
import { benchRegistration } from './registration.ts';
import { benchSearch } from './search.ts';
import { machine } from './machine.ts';

// `npm run bench`: every benchmark, one JSON document on stdout (progress on stderr). Figures go to docs/benchmarks.md.
const results: Record<string, unknown> = { machine: machine(), date: new Date().toISOString() };
results.registration = await benchRegistration();
results.search = await benchSearch();
results.import = await benchImport();
console.log(JSON.stringify(results, null, 2));
