import pg from 'pg';
import { startEmbedded, type EmbeddedServer } from './embedded.ts';

/** The role every request runs as; row-level security policies apply to it (created by migration 0001). */
export const APP_ROLE = 'cryoprotect_app';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Anything that runs SQL: a transaction handed to a callback. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/** Who is acting. Requests carry it into the database as `app.user_id`; RLS policies read it. */
export interface Actor {
  userId: string;
  requestId?: string;
}

export type Backend = 'pglite' | 'postgres';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/**
 * The one seam between the app and PostgreSQL, whichever backend serves it. All SQL goes through a
 * transaction: `asUser` for request work (app role, RLS enforced), `asMaintenance` for migrations, seeding and
 * backups (the privileged connection).
 */
export interface Db {
  readonly backend: Backend;
  asUser<T>(actor: Actor, work: (tx: Queryable) => Promise<T>): Promise<T>;
  asMaintenance<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Round-trip latency in milliseconds of a trivial query. */
  ping(): Promise<number>;
  poolStats(): PoolStats;
  close(): Promise<void>;
}

export interface DbOptions {
  /** PostgreSQL URL for request work; null selects the embedded database in dataDir. */
  databaseUrl: string | null;
  /** Privileged URL for maintenance; defaults to databaseUrl. */
  migrationDatabaseUrl?: string | null;
  dataDir: string;
  poolMax?: number;
  /** Called with each query's duration in seconds (metrics live outside this layer). */
  onQuery?: (seconds: number, backend: Backend) => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class PgDb implements Db {
  constructor(
    readonly backend: Backend,
    private readonly appPool: pg.Pool,
    private readonly maintenancePool: pg.Pool,
    private readonly onClose: () => Promise<void>,
    private readonly onQuery?: (seconds: number, backend: Backend) => void,
  ) {}

  private async transaction<T>(pool: pg.Pool, prelude: (client: pg.PoolClient) => Promise<void>, work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    const tx: Queryable = {
      query: async <R,>(sql: string, params?: readonly unknown[]) => {
        const started = performance.now();
        try {
          const result = await client.query(sql, params as unknown[] | undefined);
          return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
        } finally {
          this.onQuery?.((performance.now() - started) / 1000, this.backend);
        }
      },
    };
    let broken = false;
    try {
      await client.query('BEGIN');
      await prelude(client);
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // The connection is unusable; discard it rather than return it to the pool.
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  asUser<T>(actor: Actor, work: (tx: Queryable) => Promise<T>): Promise<T> {
    if (!UUID.test(actor.userId)) throw new Error('Actor user id must be a UUID');
    return this.transaction(
      this.appPool,
      async (client) => {
        // Transaction-local: role and settings vanish at COMMIT/ROLLBACK, so a pooled connection never
        // carries one request's identity into the next.
        await client.query(`SET LOCAL ROLE ${APP_ROLE}`);
        await client.query("select set_config('app.user_id', $1, true), set_config('app.request_id', $2, true)", [
          actor.userId,
          actor.requestId ?? '',
        ]);
      },
      work,
    );
  }

  asMaintenance<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.transaction(this.maintenancePool, async () => {}, work);
  }

  async ping(): Promise<number> {
    const started = performance.now();
    await this.appPool.query('select 1');
    return performance.now() - started;
  }

  poolStats(): PoolStats {
    return {
      total: this.appPool.totalCount,
      idle: this.appPool.idleCount,
      waiting: this.appPool.waitingCount,
      max: this.appPool.options.max ?? 10,
    };
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}

function silencePoolErrors(pool: pg.Pool): pg.Pool {
  // An idle client losing its connection emits 'error' on the pool; unhandled, that would kill the process.
  // The next checkout reconnects, and readiness reports the outage.
  pool.on('error', () => {});
  return pool;
}

export async function openDb(options: DbOptions): Promise<Db> {
  if (options.databaseUrl) {
    const appPool = silencePoolErrors(new pg.Pool({ connectionString: options.databaseUrl, max: options.poolMax ?? 10 }));
    const maintenanceUrl = options.migrationDatabaseUrl ?? options.databaseUrl;
    const maintenancePool =
      maintenanceUrl === options.databaseUrl
        ? appPool
        : silencePoolErrors(new pg.Pool({ connectionString: maintenanceUrl, max: 2 }));
    return new PgDb(
      'postgres',
      appPool,
      maintenancePool,
      async () => {
        await appPool.end();
        if (maintenancePool !== appPool) await maintenancePool.end();
      },
      options.onQuery,
    );
  }
  const server: EmbeddedServer = await startEmbedded(options.dataDir);
  // PGlite has one connection; the socket server serializes, so the pool holds exactly one client.
  const pool = silencePoolErrors(
    new pg.Pool({ host: server.socketDir, port: server.port, user: 'postgres', database: 'postgres', max: 1 }),
  );
  return new PgDb(
    'pglite',
    pool,
    pool,
    async () => {
      await pool.end();
      await server.stop();
    },
    options.onQuery,
  );
}
