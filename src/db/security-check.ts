import type { Db } from './db.ts';
import { APP_ROLE } from './db.ts';

/**
 * Audits the database's own security configuration, independently of the application code:
 * - every table in `public` (except migration bookkeeping) has row-level security enabled AND forced;
 * - for each privilege the app role holds on a table, a policy for that command exists (otherwise the grant is
 *   either useless or, worse, someone meant to add a policy and forgot);
 * - no policy on a table with a `project_id` column is unconditionally true;
 * - SECURITY DEFINER functions are owned by a role that bypasses RLS (they exist to read memberships) and pin
 *   their search_path;
 * - no function in our schemas builds SQL dynamically (EXECUTE), so there is no "run arbitrary SQL" door.
 */
export interface TableReport {
  table: string;
  rlsEnabled: boolean;
  rlsForced: boolean;
  hasProjectColumn: boolean;
  grants: string[];
  policies: { name: string; command: string; using: string | null; check: string | null }[];
  problems: string[];
}

export interface SecurityReport {
  ok: boolean;
  tables: TableReport[];
  functions: { name: string; securityDefiner: boolean; problems: string[] }[];
  problems: string[];
}

const BOOKKEEPING = new Set(['schema_migrations', 'reference_data_loads']);
const COMMANDS: Record<string, string> = { SELECT: 'SELECT', INSERT: 'INSERT', UPDATE: 'UPDATE', DELETE: 'DELETE' };

export async function securityCheck(db: Db): Promise<SecurityReport> {
  return db.asMaintenance(async (tx) => {
    const tables = (await tx.query<{ table: string; enabled: boolean; forced: boolean; project: boolean }>(
      `select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
              exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'project_id' and not a.attisdropped) as project
       from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') order by c.relname`,
    )).rows;
    const grants = (await tx.query<{ table: string; privilege: string }>(
      `select table_name as table, privilege_type as privilege from information_schema.role_table_grants
       where grantee = $1 and table_schema = 'public'`,
      [APP_ROLE],
    )).rows;
    const policies = (await tx.query<{ table: string; name: string; command: string; using: string | null; check: string | null }>(
      `select tablename as table, policyname as name, cmd as command, qual as using, with_check as check
       from pg_policies where schemaname = 'public' order by tablename, policyname`,
    )).rows;

    const reports: TableReport[] = tables.filter((t) => !BOOKKEEPING.has(t.table)).map((t) => {
      const mine = policies.filter((p) => p.table === t.table);
      const granted = grants.filter((g) => g.table === t.table && COMMANDS[g.privilege]).map((g) => g.privilege).sort();
      const problems: string[] = [];
      if (!t.enabled) problems.push('row-level security is not enabled');
      if (!t.forced) problems.push('row-level security is not forced (the table owner would bypass it)');
      for (const privilege of granted) {
        const covered = mine.some((p) => p.command === privilege || p.command === 'ALL');
        if (!covered) problems.push(`${APP_ROLE} may ${privilege} but no ${privilege} policy exists`);
      }
      if (t.project) {
        for (const p of mine) {
          if ((p.using ?? '').trim() === 'true' || (p.check ?? '').trim() === 'true') {
            problems.push(`policy ${p.name} is unconditionally true on a table holding project data`);
          }
        }
      }
      return {
        table: t.table, rlsEnabled: t.enabled, rlsForced: t.forced, hasProjectColumn: t.project, grants: granted,
        policies: mine.map(({ name, command, using, check }) => ({ name, command, using, check })), problems,
      };
    });

    const functions = (await tx.query<{ name: string; definer: boolean; config: string[] | null; source: string; language: string; owner_bypasses: boolean }>(
      `select n.nspname || '.' || p.proname as name, p.prosecdef as definer, p.proconfig as config, p.prosrc as source,
              l.lanname as language, (r.rolsuper or r.rolbypassrls) as owner_bypasses
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
       join pg_roles r on r.oid = p.proowner
       where n.nspname in ('app', 'public') and p.prokind = 'f'
         and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
       order by 1`,
    )).rows.map((f) => {
      const problems: string[] = [];
      if (f.definer && !f.owner_bypasses) problems.push('SECURITY DEFINER but its owner neither is a superuser nor has BYPASSRLS');
      if (f.definer && !(f.config ?? []).some((c) => c.startsWith('search_path='))) problems.push('SECURITY DEFINER without a pinned search_path');
      if (f.language === 'plpgsql' && /\bexecute\b/i.test(f.source.replace(/--.*$/gm, ''))) problems.push('builds and runs SQL dynamically (EXECUTE)');
      return { name: f.name, securityDefiner: f.definer, problems };
    });

    const problems = [
      ...reports.flatMap((r) => r.problems.map((p) => `table ${r.table}: ${p}`)),
      ...functions.flatMap((f) => f.problems.map((p) => `function ${f.name}: ${p}`)),
    ];
    return { ok: problems.length === 0, tables: reports, functions, problems };
  });
}

export function formatSecurityReport(report: SecurityReport): string {
  const lines = ['table                         RLS      policies (command: name)'];
  for (const t of report.tables) {
    const rls = t.rlsEnabled && t.rlsForced ? 'forced' : t.rlsEnabled ? 'ENABLED' : 'OFF';
    const policies = t.policies.length === 0 ? '(none: only the privileged connection may touch it)' : t.policies.map((p) => `${p.command}: ${p.name}`).join(', ');
    lines.push(`${t.table.padEnd(30)}${rls.padEnd(9)}${policies}`);
  }
  lines.push('', `security-definer functions: ${report.functions.filter((f) => f.securityDefiner).map((f) => f.name).join(', ') || 'none'}`);
  lines.push('', report.ok ? 'OK: every table is guarded.' : `FAILED:\n${report.problems.map((p) => `  - ${p}`).join('\n')}`);
  return lines.join('\n');
}
