import pg from 'pg';

/** What the `molecules_changed` trigger (migration 0003) sends, one notification per changed row. */
export interface MoleculeChange {
  op: 'insert' | 'update' | 'delete';
  id: string;
  projectId: string | null;
  oldProjectId: string | null;
}

export function parseChange(payload: string | undefined): MoleculeChange | null {
  if (!payload) return null;
  try {
    const value = JSON.parse(payload) as Partial<MoleculeChange>;
    if ((value.op === 'insert' || value.op === 'update' || value.op === 'delete') && typeof value.id === 'string') {
      return { op: value.op, id: value.id, projectId: value.projectId ?? null, oldProjectId: value.oldProjectId ?? null };
    }
  } catch {
    // Not ours; ignore.
  }
  return null;
}

export interface ChangeFeedHandlers {
  /** Changes, batched over a short window so a bulk import costs one re-read per batch, not per row. */
  onChanges(changes: MoleculeChange[]): Promise<void>;
  /** The connection was lost (or just re-established): notifications may have been missed. */
  onGap(): void;
  onError?(error: Error): void;
}

export interface ChangeFeed {
  /** Resolves once LISTEN is active, so writes committed afterwards are guaranteed to be announced. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * A dedicated PostgreSQL connection that LISTENs on `molecules_changed`, so writes by other replicas reach this
 * process's search index. NOTIFY is transactional (delivered on commit, never for a rollback). When the connection
 * drops, notifications sent meanwhile are lost, so `onGap` fires and the index is rebuilt lazily; then it reconnects
 * with back-off.
 */
export function startChangeFeed(connectionString: string, handlers: ChangeFeedHandlers, options: { batchMs?: number } = {}): ChangeFeed {
  const batchMs = options.batchMs ?? 20;
  let client: pg.Client | null = null;
  let closed = false;
  let pending: MoleculeChange[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let delay = 250;
  let chain: Promise<void> = Promise.resolve();
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));

  const flush = () => {
    flushTimer = null;
    const batch = pending;
    pending = [];
    // Applied in order, one batch at a time.
    chain = chain.then(() => handlers.onChanges(batch)).catch((error: Error) => {
      handlers.onError?.(error);
      handlers.onGap();
    });
  };

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString });
    c.on('error', () => {}); // reported through 'end'
    c.on('notification', (msg) => {
      if (msg.channel !== 'molecules_changed') return;
      const change = parseChange(msg.payload);
      if (!change) return;
      pending.push(change);
      flushTimer ??= setTimeout(flush, batchMs);
    });
    c.on('end', () => {
      if (client === c) client = null;
      if (closed) return;
      handlers.onGap();
      retryTimer = setTimeout(() => void connect(), delay);
      retryTimer.unref();
      delay = Math.min(delay * 2, 10_000);
    });
    try {
      await c.connect();
      await c.query('listen molecules_changed');
      if (closed) {
        await c.end();
        return;
      }
      client = c;
      delay = 250;
      handlers.onGap(); // anything committed while we were not listening is unknown
      resolveReady();
    } catch (error) {
      handlers.onError?.(error as Error);
      await c.end().catch(() => {});
    }
  };
  void connect();

  return {
    ready,
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (flushTimer) clearTimeout(flushTimer);
      resolveReady();
      const c = client;
      client = null;
      if (c) await c.end().catch(() => {});
      await chain;
    },
  };
}
