import { nextRun, parseCron } from './cron.ts';

/**
 * Runs a task at the times of a cron expression. One timer at a time, re-armed after each run, so a slow run
 * never overlaps the next; a run that is still busy when its next time comes is skipped, not queued.
 */
export interface Schedule {
  /** When the next run is due, or null if the expression never fires again. */
  readonly next: Date | null;
  stop(): Promise<void>;
}

// setTimeout holds at most 2^31-1 ms (about 24.8 days); longer waits are taken in steps.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function startSchedule(
  expression: string,
  task: () => Promise<void>,
  options: { now?: () => Date; onError?: (error: unknown) => void } = {},
): Schedule {
  const cron = parseCron(expression);
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  let next: Date | null = null;

  const arm = (after: Date) => {
    if (stopped) return;
    next = nextRun(cron, after);
    if (!next) return;
    const wait = () => {
      if (stopped || !next) return;
      const ms = next.getTime() - now().getTime();
      if (ms > MAX_TIMEOUT_MS) {
        timer = setTimeout(wait, MAX_TIMEOUT_MS);
      } else {
        timer = setTimeout(fire, Math.max(0, ms));
      }
      timer.unref();
    };
    wait();
  };
  const fire = () => {
    if (stopped) return;
    if (!running) {
      running = task()
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => {
          running = null;
        });
    }
    // From the time just served, not the clock: a timer firing a millisecond early must not serve it twice.
    const served = next;
    arm(served && served.getTime() > now().getTime() ? served : now());
  };
  arm(now());
  return {
    get next() {
      return next;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
