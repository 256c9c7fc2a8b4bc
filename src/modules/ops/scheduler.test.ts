import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSchedule } from './scheduler.ts';

describe('cron scheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the task once at each scheduled minute and skips a run while the previous one is busy', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(2026, 10, 22, 1, 58, 30));
    const runs: string[] = [];
    let release: () => void = () => {};
    const schedule = startSchedule('*/5 * * * *', async () => {
      runs.push(new Date().toTimeString().slice(0, 5));
      if (runs.length === 2) await new Promise<void>((resolve) => { release = resolve; });
    });
    expect(schedule.next).toEqual(new Date(2026, 10, 22, 2, 0));
    await vi.advanceTimersByTimeAsync(90_000);
    expect(runs).toEqual(['02:00']);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(runs).toEqual(['02:00', '02:05']);
    // 02:05 is still running at 02:10: that run is skipped, not queued.
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(runs).toEqual(['02:00', '02:05']);
    release();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(runs).toEqual(['02:00', '02:05', '02:15']);
    await schedule.stop();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(runs).toHaveLength(3);
  });

  it('reports task failures without stopping the schedule', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(2026, 10, 22, 0, 0, 0));
    const errors: unknown[] = [];
    let calls = 0;
    const schedule = startSchedule('* * * * *', async () => {
      calls++;
      throw new Error('disk full');
    }, { onError: (e) => errors.push(e) });
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(calls).toBe(3);
    expect(errors.map((e) => (e as Error).message)).toEqual(['disk full', 'disk full', 'disk full']);
    await schedule.stop();
  });
});
