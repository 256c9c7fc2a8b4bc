import { describe, expect, it } from 'vitest';
import { formatSecurityReport, type SecurityReport, type TableReport } from './security-check.ts';

const table = (name: string, over: Partial<TableReport> = {}): TableReport => ({
  table: name, rlsEnabled: true, rlsForced: true, hasProjectColumn: true, grants: ['SELECT'], policies: [], problems: [], ...over,
});

describe('security report text (what `cryoprotect security check` prints)', () => {
  it('shows each table\'s RLS state and policies, the security-definer functions, and OK', () => {
    const report: SecurityReport = {
      ok: true,
      tables: [
        table('molecules', { policies: [{ name: 'molecules_select', command: 'SELECT', using: 'app.can_read(project_id)', check: null }, { name: 'molecules_insert', command: 'INSERT', using: null, check: 'true' }] }),
        table('password_resets', { grants: [] }),
      ],
      functions: [{ name: 'app.can_read', securityDefiner: true, problems: [] }, { name: 'app.helper', securityDefiner: false, problems: [] }],
      problems: [],
    };
    const lines = formatSecurityReport(report).split('\n');
    expect(lines[0]).toMatch(/^table\s+RLS\s+policies/);
    expect(lines[1]).toBe(`${'molecules'.padEnd(30)}${'forced'.padEnd(9)}SELECT: molecules_select, INSERT: molecules_insert`);
    expect(lines[2]).toBe(`${'password_resets'.padEnd(30)}${'forced'.padEnd(9)}(none: only the privileged connection may touch it)`);
    expect(lines).toContain('security-definer functions: app.can_read');
    expect(lines.at(-1)).toBe('OK: every table is guarded.');
  });

  it('marks enabled-but-not-forced and disabled tables and lists every problem', () => {
    const report: SecurityReport = {
      ok: false,
      tables: [table('leaky', { rlsForced: false }), table('open', { rlsEnabled: false, rlsForced: false })],
      functions: [],
      problems: ['table leaky: row-level security is not forced', 'table open: row-level security is off'],
    };
    const text = formatSecurityReport(report);
    expect(text).toMatch(/^leaky\s+ENABLED /m);
    expect(text).toMatch(/^open\s+OFF /m);
    expect(text).toContain('security-definer functions: none');
    expect(text.endsWith('FAILED:\n  - table leaky: row-level security is not forced\n  - table open: row-level security is off')).toBe(true);
  });
});
