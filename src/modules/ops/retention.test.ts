import { describe, expect, it } from 'vitest';
import { applyRetention, isoWeekKey } from './retention.ts';

const b = (iso: string) => ({ createdAt: new Date(iso), id: iso });

describe('grandfather-father-son retention', () => {
  it('computes ISO weeks across year boundaries', () => {
    expect(isoWeekKey(new Date('2026-11-22T12:00:00Z'))).toBe('2026-W47');
    expect(isoWeekKey(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53');
    expect(isoWeekKey(new Date('2024-12-30T12:00:00Z'))).toBe('2025-W01');
  });

  it('keeps the newest backup of each recent day, week and month and removes the rest', () => {
    // Two backups a day for 70 days, newest first at 2026-11-22.
    const items = [];
    for (let day = 0; day < 70; day++) {
      const date = new Date(Date.UTC(2026, 10, 22 - day));
      items.push(b(new Date(date.getTime() + 14 * 3600_000).toISOString()), b(new Date(date.getTime() + 2 * 3600_000).toISOString()));
    }
    const { keep, remove } = applyRetention(items, { daily: 3, weekly: 2, monthly: 3 });
    const kept = keep.map((k) => k.item.id);
    // Daily: the 14:00 backup of the 22nd, 21st, 20th. Weekly: the 22nd (Sunday, W47) and the 15th (W46).
    // Monthly: 22 Nov, 31 Oct, 30 Sep.
    expect(kept).toEqual([
      '2026-11-22T14:00:00.000Z', '2026-11-21T14:00:00.000Z', '2026-11-20T14:00:00.000Z',
      '2026-11-15T14:00:00.000Z', '2026-10-31T14:00:00.000Z', '2026-09-30T14:00:00.000Z',
    ]);
    expect(keep[0]?.reasons).toEqual(['daily 2026-11-22', 'weekly 2026-W47', 'monthly 2026-11']);
    expect(remove).toHaveLength(items.length - 6);
    expect(remove.some((r) => kept.includes(r.id))).toBe(false);
  });

  it('always keeps the newest backup, even with all counts at zero', () => {
    const { keep, remove } = applyRetention([b('2026-01-01T00:00:00Z'), b('2026-02-01T00:00:00Z')], { daily: 0, weekly: 0, monthly: 0 });
    expect(keep.map((k) => [k.item.id, k.reasons])).toEqual([['2026-02-01T00:00:00Z', ['newest']]]);
    expect(remove.map((r) => r.id)).toEqual(['2026-01-01T00:00:00Z']);
    expect(applyRetention([], { daily: 7, weekly: 4, monthly: 12 })).toEqual({ keep: [], remove: [] });
  });
});
