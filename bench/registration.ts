import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createChemPool } from '../src/chem/pool.ts';
import { BENCH_16K, machine, median } from './machine.ts';

/**
 * Registration throughput: parse + standardize + canonical SMILES/InChI/InChIKey + descriptors + Morgan and pattern
 * fingerprints (chem pool `register`, everything the registry stores), for all molecules of the 16k set through a
 * pool with one worker per core, median of RUNS runs.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

export async function benchRegistration(): Promise<Record<string, unknown>> {
  const lines = readFileSync(BENCH_16K, 'utf8').trim().split('\n').slice(1);
  const smiles = lines.map((l) => l.split('\t')[0] ?? '').filter((s) => s !== '');
  const workers = Number(process.env.BENCH_WORKERS ?? os.availableParallelism());
  const pool = createChemPool({ size: workers });
  try {
    await pool.register({ smiles: 'CCO' }); // load RDKit in every worker before timing
    await Promise.all(Array.from({ length: workers * 2 }, () => pool.register({ smiles: 'OCC(O)CO' })));
    const registerRates: number[] = [];
    const registerCpuRates: number[] = [];
    let invalid = 0;
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const results = await Promise.allSettled(smiles.map((s) => pool.register({ smiles: s })));
      registerRates.push(smiles.length / ((performance.now() - started) / 1000));
      const used = process.cpuUsage(cpu);
      // What the cores would achieve if they were ours alone: molecules per CPU-second (all threads, main included)
      // times the worker count.
      registerCpuRates.push((smiles.length / ((used.user + used.system) / 1e6)) * workers);
      invalid = results.filter((r) => r.status === 'rejected').length;
      process.stderr.write(`registration run ${run + 1}/${RUNS}: ${registerRates.at(-1)?.toFixed(0)} /s wall, ${registerCpuRates.at(-1)?.toFixed(0)} /s from CPU time\n`);
    }
    return {
      molecules: smiles.length, invalid, workers, runs: RUNS,
      registerPerSecond: Math.round(median(registerRates)),
      registerPerSecondFromCpuTime: Math.round(median(registerCpuRates)),
      loadAverage: os.loadavg().map((l) => +l.toFixed(1)),
      allRegisterRates: registerRates.map(Math.round),
      allRegisterRatesFromCpuTime: registerCpuRates.map(Math.round),
    };
  } finally {
    await pool.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify({ machine: machine(), registration: await benchRegistration() }, null, 2));
}
