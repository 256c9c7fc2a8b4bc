import type { Db } from '../../db/db.ts';

/**
 * Until sign-in exists every request acts as this built-in administrator. The id is fixed so that data
 * created before accounts arrive keeps a stable author; the accounts issue replaces the resolver, not this row.
 */
export const LOCAL_ADMIN = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'local-admin@localhost',
  displayName: 'Local administrator',
} as const;

export async function ensureLocalAdmin(db: Db): Promise<void> {
  await db.asMaintenance((tx) =>
    tx.query(
      `insert into users (id, email, display_name, is_admin) values ($1, $2, $3, true)
       on conflict (id) do nothing`,
      [LOCAL_ADMIN.id, LOCAL_ADMIN.email, LOCAL_ADMIN.displayName],
    ),
  );
}
