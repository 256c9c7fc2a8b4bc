import { describe, expect, it } from 'vitest';
import { expectedSchema, stripSqlNoise } from './expected-schema.ts';

describe('expected schema from migration SQL', () => {
  it('ignores comments, strings and function bodies, even with quotes and semicolons inside', () => {
    const sql = `-- don't be fooled; create table fake (x int);
      create table a (id int primary key, "Odd name" text check (x in ('a;b', 'c')), constraint k unique (id));
      create function f() returns int language sql as $$ select 1; create table nope (y int) $$;
      do $body$ begin perform 'create table nope2 (z int)'; end $body$;
      /* create table also_not (q int); */`;
    expect(stripSqlNoise(sql)).not.toMatch(/fake|nope|also_not/);
    expect([...expectedSchema([sql]).tables.entries()].map(([t, c]) => [t, [...c]])).toEqual([['a', ['id', 'Odd name']]]);
  });

  it('follows later migrations: added, dropped and renamed columns and tables, created and dropped indexes', () => {
    const schema = expectedSchema([
      'create table t (id uuid primary key, a text, b integer); create index t_a_idx on t (a); create unique index if not exists t_b_idx on public.t (b);',
      `alter table t add column c double precision generated always as ((b)::double precision) stored, add column if not exists d jsonb;
       alter table t drop column a; alter table only t rename column b to bb; drop index t_a_idx;
       create table old (x int); alter table old rename to renamed; create table gone (y int); drop table if exists gone;`,
    ]);
    expect([...(schema.tables.get('t') ?? [])]).toEqual(['id', 'c', 'd', 'bb']);
    expect(schema.tables.has('renamed')).toBe(true);
    expect(schema.tables.has('old') || schema.tables.has('gone')).toBe(false);
    expect([...schema.indexes]).toEqual(['t_b_idx']);
  });
});
