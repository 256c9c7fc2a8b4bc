import { describe, expect, it } from 'vitest';
import { CronError, nextRun, parseCron } from './cron.ts';

const at = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi);
const next = (expr: string, after: Date) => nextRun(parseCron(expr), after);

describe('cron expressions', () => {
  it('parses lists, ranges, steps and names', () => {
    const c = parseCron('*/15 1-3,22 1,15 jan-mar mon-fri');
    expect([...c.minutes]).toEqual([0, 15, 30, 45]);
    expect([...c.hours]).toEqual([1, 2, 3, 22]);
    expect([...c.daysOfMonth]).toEqual([1, 15]);
    expect([...c.months]).toEqual([1, 2, 3]);
    expect([...c.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCron('5/20 * * * 7').minutes]).toEqual([5, 25, 45]);
    expect([...parseCron('0 0 * * 7').daysOfWeek]).toEqual([0]);
  });

  it('rejects malformed expressions with the field named', () => {
    expect(() => parseCron('* * * *')).toThrow(/5 fields/);
    expect(() => parseCron('60 * * * *')).toThrow(/minute: 60 is outside 0-59/);
    expect(() => parseCron('* 5-2 * * *')).toThrow(/hour: range "5-2" runs backwards/);
    expect(() => parseCron('*/0 * * * *')).toThrow(/step "0"/);
    expect(() => parseCron('* * 0 * *')).toThrow(/day of month/);
    expect(() => parseCron('* * * foo *')).toThrow(CronError);
    expect(() => parseCron('1,,2 * * * *')).toThrow(/empty list item/);
  });

  it('finds the next time strictly after the given one', () => {
    expect(next('15 2 * * *', at(2026, 11, 22, 1, 0))).toEqual(at(2026, 11, 22, 2, 15));
    expect(next('15 2 * * *', at(2026, 11, 22, 2, 15))).toEqual(at(2026, 11, 23, 2, 15));
    expect(next('15 2 * * *', new Date(at(2026, 11, 22, 2, 14).getTime() + 59_999))).toEqual(at(2026, 11, 22, 2, 15));
    expect(next('*/10 * * * *', at(2026, 1, 1, 23, 55))).toEqual(at(2026, 1, 2, 0, 0));
    expect(next('0 0 1 * *', at(2026, 12, 15))).toEqual(at(2027, 1, 1));
  });

  it('ORs day-of-month and day-of-week when both are restricted, as Vixie cron does', () => {
    // 2026-11-22 is a Sunday. "13th or Friday": the next Friday (27th) comes before... the 13th of December.
    expect(next('0 12 13 * fri', at(2026, 11, 22))).toEqual(at(2026, 11, 27, 12, 0));
    // Only day-of-week restricted: Mondays.
    expect(next('0 9 * * mon', at(2026, 11, 22))).toEqual(at(2026, 11, 23, 9, 0));
  });

  it('handles leap days and reports expressions that never fire', () => {
    expect(next('0 0 29 2 *', at(2026, 3, 1))).toEqual(at(2028, 2, 29));
    expect(next('0 0 30 2 *', at(2026, 1, 1))).toBeNull();
  });
});
