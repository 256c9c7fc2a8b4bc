/**
 * What the shipped migrations say the public schema contains: tables with their columns, and named indexes.
 * Read from the SQL text itself (no database), so the health report can compare a live database with it
 * without migrating a scratch copy. Understands the statements our migrations use: create/drop table, alter table
 * add/drop/rename column, rename table, create/drop index. Other DDL is ignored, so facts it cannot see (e.g.
 * tables created inside a DO block) show up as "extra" rather than being guessed.
 */
export interface ExpectedSchema {
  tables: Map<string, Set<string>>;
  indexes: Set<string>;
}

const TABLE_CONSTRAINT_WORDS = new Set(['constraint', 'primary', 'unique', 'check', 'foreign', 'exclude', 'like']);

function unquote(identifier: string): string {
  const name = identifier.replace(/^public\./i, '');
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase();
}

/**
 * Removes comments, string literals and dollar-quoted bodies, whose semicolons and words are not DDL. One pass,
 * because each can contain the others' delimiters (an apostrophe in a comment, "--" in a string).
 */
export function stripSqlNoise(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const rest = sql.slice(i, i + 2);
    if (rest === '--') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (rest === '/*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (ch === "'") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      out += "''";
      i = j + 1;
    } else if (ch === '"') {
      const end = sql.indexOf('"', i + 1);
      out += sql.slice(i, end < 0 ? sql.length : end + 1);
      i = end < 0 ? sql.length : end + 1;
    } else if (ch === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
      const tag = (/^\$[A-Za-z_]*\$/.exec(sql.slice(i)) as RegExpExecArray)[0];
      const end = sql.indexOf(tag, i + tag.length);
      out += "''";
      i = end < 0 ? sql.length : end + tag.length;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Splits a parenthesized list at top-level commas. */
function topLevelItems(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of body) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') items.push(current);
  return items;
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

const IDENT = String.raw`((?:public\.)?(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*))`;

export function expectedSchema(migrationSql: readonly string[]): ExpectedSchema {
  const tables = new Map<string, Set<string>>();
  const indexes = new Set<string>();
  for (const sql of migrationSql) {
    for (const raw of stripSqlNoise(sql).split(';')) {
      const statement = raw.trim();
      let m: RegExpExecArray | null;
      if ((m = new RegExp(String.raw`^create\s+(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?${IDENT}\s*\(`, 'i').exec(statement))) {
        const open = statement.indexOf('(', m[0].length - 1);
        const close = matchingParen(statement, open);
        const columns = new Set<string>();
        for (const item of topLevelItems(statement.slice(open + 1, close))) {
          const first = /^\s*("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)/.exec(item)?.[1];
          if (first && !TABLE_CONSTRAINT_WORDS.has(first.toLowerCase())) columns.add(unquote(first));
        }
        tables.set(unquote(m[1] as string), columns);
      } else if ((m = new RegExp(String.raw`^drop\s+table\s+(?:if\s+exists\s+)?${IDENT}`, 'i').exec(statement))) {
        tables.delete(unquote(m[1] as string));
      } else if ((m = new RegExp(String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${IDENT}\s+([\s\S]*)$`, 'i').exec(statement))) {
        const name = unquote(m[1] as string);
        const rest = m[2] as string;
        const renameTable = new RegExp(String.raw`^rename\s+to\s+${IDENT}`, 'i').exec(rest);
        if (renameTable) {
          const columns = tables.get(name);
          tables.delete(name);
          if (columns) tables.set(unquote(renameTable[1] as string), columns);
          continue;
        }
        const columns = tables.get(name);
        if (!columns) continue;
        for (const action of topLevelItems(rest)) {
          const add = new RegExp(String.raw`^\s*add\s+column\s+(?:if\s+not\s+exists\s+)?${IDENT}`, 'i').exec(action);
          const drop = new RegExp(String.raw`^\s*drop\s+column\s+(?:if\s+exists\s+)?${IDENT}`, 'i').exec(action);
          const rename = new RegExp(String.raw`^\s*rename\s+(?:column\s+)?${IDENT}\s+to\s+${IDENT}`, 'i').exec(action);
          if (add) columns.add(unquote(add[1] as string));
          else if (drop) columns.delete(unquote(drop[1] as string));
          else if (rename) {
            columns.delete(unquote(rename[1] as string));
            columns.add(unquote(rename[2] as string));
          }
        }
      } else if ((m = new RegExp(String.raw`^create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?${IDENT}\s+on\s`, 'i').exec(statement))) {
        indexes.add(unquote(m[1] as string));
      } else if ((m = new RegExp(String.raw`^drop\s+index\s+(?:concurrently\s+)?(?:if\s+exists\s+)?${IDENT}`, 'i').exec(statement))) {
        indexes.delete(unquote(m[1] as string));
      }
    }
  }
  return { tables, indexes };
}
