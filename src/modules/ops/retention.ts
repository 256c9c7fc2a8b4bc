/**
 * Grandfather-father-son retention: keep the newest backup of each of the last `daily` days that have one, of
 * the last `weekly` ISO weeks, and of the last `monthly` calendar months. A backup kept by any rule stays; the
 * newest backup is always kept, so pruning can never leave nothing. Calendar boundaries use UTC so a result does
 * not depend on where the pruning machine stands.
 */
export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

export interface Dated {
  createdAt: Date;
}

export interface RetentionDecision<T extends Dated> {
  keep: { item: T; reasons: string[] }[];
  remove: T[];
}

function dayKey(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function monthKey(d: Date): string {
  return d.toISOString().slice(0, 7);
}

/** ISO 8601 week, e.g. 2026-W47 (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekKey(d: Date): string {
  const date = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function applyRetention<T extends Dated>(items: readonly T[], policy: RetentionPolicy): RetentionDecision<T> {
  const newestFirst = [...items].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const reasons = new Map<T, string[]>();
  const mark = (item: T, reason: string) => reasons.set(item, [...(reasons.get(item) ?? []), reason]);
  const rules: [string, number, (d: Date) => string][] = [
    ['daily', policy.daily, dayKey],
    ['weekly', policy.weekly, isoWeekKey],
    ['monthly', policy.monthly, monthKey],
  ];
  for (const [name, count, key] of rules) {
    const seen = new Set<string>();
    for (const item of newestFirst) {
      if (seen.size >= count) break;
      const k = key(item.createdAt);
      if (seen.has(k)) continue;
      seen.add(k);
      mark(item, `${name} ${k}`);
    }
  }
  const newest = newestFirst[0];
  if (newest && !reasons.has(newest)) mark(newest, 'newest');
  return {
    keep: newestFirst.filter((i) => reasons.has(i)).map((item) => ({ item, reasons: reasons.get(item) ?? [] })),
    remove: newestFirst.filter((i) => !reasons.has(i)),
  };
}
