import type { Actor, Db } from '../db/db.ts';
import { LOCAL_ADMIN } from '../modules/accounts/local-admin.ts';
import { findUserByEmail } from '../modules/accounts/repo.ts';
import { UsageError } from './command.ts';

/**
 * Whom a CLI command acts as. The CLI holds database credentials, so it may act as any account (`--as EMAIL`);
 * row-level security then shows exactly what that person sees. Without `--as` it is the local administrator,
 * who sees public reference data and nothing private.
 */
export async function cliActor(db: Db, asEmail: string | boolean | undefined): Promise<Actor> {
  if (typeof asEmail !== 'string') return { userId: LOCAL_ADMIN.id };
  const user = await db.asMaintenance((tx) => findUserByEmail(tx, asEmail.trim().toLowerCase()));
  if (!user) throw new UsageError(`No account with the email ${asEmail}`);
  return { userId: user.id };
}
