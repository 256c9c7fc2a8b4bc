import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Worker } from 'node:worker_threads';
import { createChemPool } from '../src/chem/pool.ts';
import { startTsWorker } from '../src/lib/ts-worker.ts';
import { MoleculeSearchIndex, type IndexEntry } from '../src/modules/molecules/search-index.ts';
import { BENCH_1M, machine, median } from './machine.ts';

/**
 * Search over an in-memory index of N molecules from the 1M set (the registry's MoleculeSearchIndex, one scope):
 * similarity top-10 and threshold 0.7 (main thread, WebAssembly kernels), substructure counts (pattern pre-screen in the index, exact
 * RDKit match in the chem pool), and the resident memory the index adds. Fingerprints are computed once and cached
 * in bench/results/cache (git-ignored), so repeated runs measure search, not RDKit start-up.
 */
const N = Number(process.env.BENCH_N ?? 1_000_000);
/** Substructure runs over the first SUB_N molecules (default: the whole index). */
const SUB_N = Number(process.env.BENCH_SUBSTRUCTURE_N ?? Number.POSITIVE_INFINITY);
/**
 * BENCH_REPLICATE=r indexes the N computed fingerprints r times (as distinct ids): measures scan time and memory
 * of an r×N index when computing r×N real fingerprints is too slow. Threshold hit counts then include the copies.
 */
const REPLICATE = Number(process.env.BENCH_REPLICATE ?? 1);
const QUERIES = ['c1ccccc1C(=O)N', '[OX2H][CX4][CX4][OX2H]', 'c1ccncc1', 'C(=O)O', 'S(=O)(=O)N'];
const CACHE_DIR = new URL('./results/cache/', import.meta.url); // bench/results is git-ignored

export async function readSmiles(n: number): Promise<string[]> {
  const lines = createInterface({ input: createReadStream(BENCH_1M).pipe(createGunzip()), crlfDelay: Infinity });
  const out: string[] = [];
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    const s = line.split('\t')[0];
    if (s) out.push(s);
    if (out.length >= n) break;
  }
  lines.close();
  return out;
}

export interface Computed {
  smiles: string[];
  morgan: Uint8Array;
  pattern: Uint8Array;
}

export async function computeFingerprints(smiles: string[]): Promise<Computed> {
  const cache = new URL(`fp-${smiles.length}.bin`, CACHE_DIR);
  const cacheSmiles = new URL(`fp-${smiles.length}.smi`, CACHE_DIR);
  if (existsSync(cache) && existsSync(cacheSmiles)) {
    const bytes = readFileSync(cache);
    const kept = readFileSync(cacheSmiles, 'utf8').split('\n');
    const n = kept.length;
    return { smiles: kept, morgan: new Uint8Array(bytes.buffer, bytes.byteOffset, n * 256), pattern: new Uint8Array(bytes.buffer, bytes.byteOffset + n * 256, n * 256) };
  }
  const workers: Worker[] = Array.from({ length: os.availableParallelism() }, () => startTsWorker(new URL('./fp-worker.ts', import.meta.url)));
  const started = performance.now();
  const batches: string[][] = [];
  for (let i = 0; i < smiles.length; i += 2000) batches.push(smiles.slice(i, i + 2000));
  const results: { smiles: string; morgan: Uint8Array; pattern: Uint8Array }[][] = new Array(batches.length);
  let next = 0;
  let done = 0;
  await Promise.all(workers.map(async (w) => {
    while (next < batches.length) {
      const i = next++;
      results[i] = await new Promise((resolve) => {
        w.once('message', (msg: { out: { smiles: string; morgan: Uint8Array; pattern: Uint8Array }[] }) => resolve(msg.out));
        w.postMessage({ id: i, smiles: batches[i] });
      });
      done += batches[i]!.length;
      if (i % 10 === 0) process.stderr.write(`fingerprints: ${done}/${smiles.length} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
    }
  }));
  await Promise.all(workers.map((w) => w.terminate()));
  const flat = results.flat();
  const morgan = new Uint8Array(flat.length * 256);
  const pattern = new Uint8Array(flat.length * 256);
  flat.forEach((r, i) => {
    morgan.set(r.morgan, i * 256);
    pattern.set(r.pattern, i * 256);
  });
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(cache, Buffer.concat([morgan, pattern]));
  writeFileSync(cacheSmiles, flat.map((r) => r.smiles).join('\n'));
  return { smiles: flat.map((r) => r.smiles), morgan, pattern };
}

export async function benchSearch(): Promise<Record<string, unknown>> {
  const computed = await computeFingerprints(await readSmiles(N));
  const distinct = computed.smiles.length;
  const n = distinct * REPLICATE;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const index = new MoleculeSearchIndex({
    async loadScope() {
      const entries: IndexEntry[] = [];
      for (let k = 0; k < n; k++) {
        const i = k % distinct;
        entries.push({
          id: `00000000-0000-4000-8000-${k.toString(16).padStart(12, '0')}`, projectId: null, smiles: computed.smiles[i] as string,
          morganFp: computed.morgan.subarray(i * 256, (i + 1) * 256), patternFp: computed.pattern.subarray(i * 256, (i + 1) * 256),
        });
      }
      return entries;
    },
    fetch: async () => [],
  });
  const buildStarted = performance.now();
  await index.topK([null], computed.morgan.subarray(0, 256), 1);
  const buildMs = performance.now() - buildStarted;
  global.gc?.();
  const rssAfter = process.memoryUsage().rss;

  // Query molecules spread over the set (each is in the index, as a "find analogues of this" search would be).
  const queryCount = 30;
  const queries = Array.from({ length: queryCount }, (_, i) => computed.morgan.slice(((i * 7919) % distinct) * 256, (((i * 7919) % distinct) + 1) * 256));
  // Wall time, and CPU time of the process (all threads): on a shared, loaded machine the CPU time is what an
  // idle machine's wall time would be for the single-threaded scan.
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const topTimes: number[] = [];
  const topCpu: number[] = [];
  const thresholdTimes: number[] = [];
  const thresholdCpu: number[] = [];
  const thresholdHits: number[] = [];
  for (const q of queries) {
    let started = performance.now();
    let cpu = cpuMs();
    await index.topK([null], q, 10);
    topTimes.push(performance.now() - started);
    topCpu.push(cpuMs() - cpu);
    started = performance.now();
    cpu = cpuMs();
    thresholdHits.push((await index.threshold([null], q, 0.7)).length);
    thresholdTimes.push(performance.now() - started);
    thresholdCpu.push(cpuMs() - cpu);
  }

  const subN = Math.min(SUB_N, distinct);
  const subIndex = subN === n ? index : new MoleculeSearchIndex({
    async loadScope() {
      return Array.from({ length: subN }, (_, i) => ({
        id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, projectId: null, smiles: computed.smiles[i] as string,
        morganFp: computed.morgan.subarray(i * 256, (i + 1) * 256), patternFp: computed.pattern.subarray(i * 256, (i + 1) * 256),
      }));
    },
    fetch: async () => [],
  });
  const pool = createChemPool({ size: os.availableParallelism(), requestTimeoutMs: 600_000 });
  const substructure: Record<string, { medianMs: number; cpuMsPerCore: number; count: number; candidates: number; prescreenMs: number }> = {};
  try {
    await pool.patternFingerprint({ query: 'C' });
    const runs = Number(process.env.BENCH_SUBSTRUCTURE_RUNS ?? 3);
    for (const query of QUERIES) {
      const times: number[] = [];
      const cpuTimes: number[] = [];
      let count = 0;
      let candidates = 0;
      let prescreenMs = 0;
      for (let r = 0; r < runs; r++) {
        const started = performance.now();
        const cpu = cpuMs();
        const qfp = await pool.patternFingerprint({ query });
        const list = await subIndex.substructureCandidates([null], qfp);
        prescreenMs = performance.now() - started;
        const hits = await pool.substructureSearch(query, list);
        times.push(performance.now() - started);
        cpuTimes.push((cpuMs() - cpu) / os.availableParallelism());
        count = hits.length;
        candidates = list.length;
      }
      substructure[query] = { medianMs: Math.round(median(times)), cpuMsPerCore: Math.round(median(cpuTimes)), count, candidates, prescreenMs: Math.round(prescreenMs) };
      process.stderr.write(`substructure ${query}: ${JSON.stringify(substructure[query])}\n`);
    }
  } finally {
    await pool.close();
  }
  return {
    molecules: n,
    distinctFingerprints: distinct,
    indexBuildMs: Math.round(buildMs),
    indexRssMiB: Math.round((rssAfter - rssBefore) / 2 ** 20),
    indexReservedMiB: Math.round(index.reservedBytes / 2 ** 20),
    processRssMiB: Math.round(rssAfter / 2 ** 20),
    loadAverage: os.loadavg().map((l) => +l.toFixed(1)),
    top10: { medianMs: +median(topTimes).toFixed(2), medianCpuMs: +median(topCpu).toFixed(2), maxMs: +Math.max(...topTimes).toFixed(2), queries: queryCount },
    threshold07: { medianMs: +median(thresholdTimes).toFixed(2), medianCpuMs: +median(thresholdCpu).toFixed(2), maxMs: +Math.max(...thresholdTimes).toFixed(2), medianHits: median(thresholdHits) },
    substructure: { molecules: subN, queries: substructure },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify({ machine: machine(), search: await benchSearch() }, null, 2));
}
