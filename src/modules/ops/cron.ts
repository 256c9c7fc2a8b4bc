/**
 * A five-field cron expression (minute hour day-of-month month day-of-week), evaluated in the process's local
 * time zone (containers default to UTC; set TZ to change it). Supports `*`, numbers, ranges `a-b`, lists `a,b`,
 * steps `*\/n` and `a-b/n`, and English month and weekday names. As in Vixie cron, when both day-of-month and
 * day-of-week are restricted a day matches if either does; 7 is Sunday like 0.
 */
export interface CronSchedule {
  readonly expression: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  readonly dayOfMonthRestricted: boolean;
  readonly dayOfWeekRestricted: boolean;
}

export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronError';
  }
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

function parseValue(raw: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(raw.toLowerCase()) ?? -1;
  // Month names start at 1 (jan), weekday names at 0 (sun).
  if (named >= 0) return named + spec.min;
  if (!/^\d+$/.test(raw)) throw new CronError(`${spec.name}: "${raw}" is not a number`);
  const value = Number(raw);
  if (value < spec.min || value > spec.max) throw new CronError(`${spec.name}: ${value} is outside ${spec.min}-${spec.max}`);
  return value;
}

function parseField(text: string, spec: FieldSpec): { values: Set<number>; restricted: boolean } {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    if (part === '') throw new CronError(`${spec.name}: empty list item in "${text}"`);
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === undefined || range === '') throw new CronError(`${spec.name}: cannot read "${part}"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw new CronError(`${spec.name}: step "${stepText}" must be a positive integer`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.max;
    } else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined || !a || !b) throw new CronError(`${spec.name}: cannot read range "${range}"`);
      from = parseValue(a, spec);
      to = parseValue(b, spec);
      if (from > to) throw new CronError(`${spec.name}: range "${range}" runs backwards`);
    } else {
      from = parseValue(range, spec);
      // "5/15" means from 5 to the end in steps of 15.
      to = stepText !== undefined ? spec.max : from;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return { values, restricted: text !== '*' };
}

export function parseCron(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new CronError(`a cron expression has 5 fields (minute hour day-of-month month day-of-week); got ${fields.length} in "${expression}"`);
  }
  const [minutes, hours, dom, months, dow] = fields.map((f, i) => parseField(f, FIELDS[i] as FieldSpec)) as [
    ReturnType<typeof parseField>, ReturnType<typeof parseField>, ReturnType<typeof parseField>, ReturnType<typeof parseField>, ReturnType<typeof parseField>,
  ];
  if (dow.values.has(7)) {
    dow.values.delete(7);
    dow.values.add(0);
  }
  return {
    expression: expression.trim(),
    minutes: minutes.values,
    hours: hours.values,
    daysOfMonth: dom.values,
    months: months.values,
    daysOfWeek: dow.values,
    dayOfMonthRestricted: dom.restricted,
    dayOfWeekRestricted: dow.restricted,
  };
}

function dayMatches(schedule: CronSchedule, day: Date): boolean {
  const domOk = schedule.daysOfMonth.has(day.getDate());
  const dowOk = schedule.daysOfWeek.has(day.getDay());
  if (schedule.dayOfMonthRestricted && schedule.dayOfWeekRestricted) return domOk || dowOk;
  return domOk && dowOk;
}

/** Searching further than this means the expression can never fire (e.g. 30 February). */
const MAX_DAYS_AHEAD = 366 * 5;

/** The first time strictly after `after` (to the minute) at which the schedule fires, or null if it never does. */
export function nextRun(schedule: CronSchedule, after: Date): Date | null {
  const start = new Date(after.getTime());
  start.setSeconds(0, 0);
  start.setMinutes(start.getMinutes() + 1);
  const day = new Date(start.getFullYear(), start.getMonth(), start.getDate());
  for (let i = 0; i < MAX_DAYS_AHEAD; i++, day.setDate(day.getDate() + 1)) {
    if (!schedule.months.has(day.getMonth() + 1) || !dayMatches(schedule, day)) continue;
    const firstDay = i === 0;
    for (const hour of [...schedule.hours].sort((a, b) => a - b)) {
      if (firstDay && hour < start.getHours()) continue;
      for (const minute of [...schedule.minutes].sort((a, b) => a - b)) {
        if (firstDay && hour === start.getHours() && minute < start.getMinutes()) continue;
        const candidate = new Date(day.getFullYear(), day.getMonth(), day.getDate(), hour, minute);
        // A local time skipped by a daylight-saving jump normalizes to another hour; it does not exist, so skip it.
        if (candidate.getHours() !== hour || candidate.getMinutes() !== minute) continue;
        if (candidate.getTime() > after.getTime()) return candidate;
      }
    }
  }
  return null;
}
