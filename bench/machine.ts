import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The facts a benchmark figure needs next to it. */
export function machine(): { cpu: string; nproc: number; node: string; memoryGiB: number } {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) cpu = match[1].trim();
  } catch {
    // not Linux; os.cpus() is good enough
  }
  return { cpu, nproc: os.availableParallelism(), node: process.version, memoryGiB: Math.round(os.totalmem() / 2 ** 30) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export const BENCH_16K = process.env.BENCH_16K ?? '/work/shared/data/bench/molecules-16k.tsv';
export const BENCH_1M = process.env.BENCH_1M ?? '/work/shared/data/bench/molecules-1m.tsv.gz';
