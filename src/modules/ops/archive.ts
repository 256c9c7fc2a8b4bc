import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip, type Gzip } from 'node:zlib';

/**
 * The backup archive: one gzip'ed file of newline-delimited JSON.
 *
 *   line 1            the manifest (format, schema, app version, per-table row counts and SHA-256)
 *   then, per table   a section line {"table": name, "rows": n}, followed by n row lines
 *
 * A row line is the database's own `to_jsonb(row)::text`, written and read back verbatim: numbers never pass
 * through JavaScript, so doubles, numerics and bigints keep every digit. A table's SHA-256 is taken over its row
 * lines, each followed by "\n", in the order written (sorted by the row text, byte-wise).
 */
export const ARCHIVE_FORMAT = 'cryoprotect-backup';
export const ARCHIVE_FORMAT_VERSION = 1;

export interface ManifestMigration {
  version: number;
  name: string;
  checksum: string;
}

export interface ManifestTable {
  name: string;
  /** Columns present when the backup was taken (generated columns included; they are recomputed on restore). */
  columns: string[];
  rows: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  createdAt: string;
  appVersion: string;
  backend: 'pglite' | 'postgres';
  serverVersion: string;
  /** The applied migrations of the source database: its schema version. */
  migrations: ManifestMigration[];
  /** Tables in restore order (foreign-key parents first). */
  tables: ManifestTable[];
}

export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

/** Running SHA-256 and count of one table's row lines. */
export class TableDigest {
  private readonly hash = createHash('sha256');
  rows = 0;
  add(line: string): void {
    this.hash.update(line);
    this.hash.update('\n');
    this.rows++;
  }
  hex(): string {
    return this.hash.digest('hex');
  }
}

async function write(stream: WriteStream | Gzip, data: string | Buffer): Promise<void> {
  if (!stream.write(data)) await once(stream, 'drain');
}

/** Writes the manifest and then the table sections, taken from an uncompressed body file, into one gzip file. */
export async function writeArchive(path: string, manifest: BackupManifest, bodyPath: string): Promise<void> {
  const file = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  const gzip = createGzip({ level: 6 });
  gzip.pipe(file);
  const closed = once(file, 'close');
  await write(gzip, `${JSON.stringify(manifest)}\n`);
  for await (const chunk of createReadStream(bodyPath)) await write(gzip, chunk as Buffer);
  gzip.end();
  await closed;
}

/** Appends table sections to the uncompressed body file while the dump runs. */
export class BodyWriter {
  private readonly stream: WriteStream;
  constructor(path: string) {
    this.stream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  }
  section(table: string, rows: number): Promise<void> {
    return write(this.stream, `${JSON.stringify({ table, rows })}\n`);
  }
  line(row: string): Promise<void> {
    if (row.includes('\n')) throw new ArchiveError('A row line contains a newline; jsonb text never should');
    return write(this.stream, `${row}\n`);
  }
  async close(): Promise<void> {
    const closed = once(this.stream, 'close');
    this.stream.end();
    await closed;
  }
}

function lines(path: string): { iterator: AsyncIterator<string>; close(): void } {
  const source = createReadStream(path);
  const gunzip = createGunzip();
  const failed = new Promise<never>((_, reject) => {
    const fail = (error: Error) => reject(new ArchiveError(`Cannot read ${path}: ${error.message}`));
    source.once('error', fail);
    gunzip.once('error', fail);
  });
  failed.catch(() => {});
  const rl = createInterface({ input: source.pipe(gunzip), crlfDelay: Infinity });
  const inner = rl[Symbol.asyncIterator]();
  return {
    iterator: { next: () => Promise.race([inner.next(), failed]) },
    close() {
      rl.close();
      source.destroy();
      gunzip.destroy();
    },
  };
}

function parseManifest(text: string | undefined, path: string): BackupManifest {
  let manifest: Partial<BackupManifest>;
  try {
    manifest = JSON.parse(text ?? '') as Partial<BackupManifest>;
  } catch {
    throw new ArchiveError(`${path} does not start with a backup manifest`);
  }
  if (manifest.format !== ARCHIVE_FORMAT) throw new ArchiveError(`${path} is not a CryoProtect backup (format "${String(manifest.format)}")`);
  if (manifest.formatVersion !== ARCHIVE_FORMAT_VERSION) {
    throw new ArchiveError(`${path} has archive format version ${manifest.formatVersion}; this app reads version ${ARCHIVE_FORMAT_VERSION}`);
  }
  if (!Array.isArray(manifest.tables) || !Array.isArray(manifest.migrations)) throw new ArchiveError(`${path} has an incomplete manifest`);
  return manifest as BackupManifest;
}

/** Reads only the first line. */
export async function readManifest(path: string): Promise<BackupManifest> {
  const reader = lines(path);
  try {
    const first = await reader.iterator.next();
    return parseManifest(first.done ? undefined : first.value, path);
  } finally {
    reader.close();
  }
}

export type ArchiveEvent =
  | { kind: 'table'; table: ManifestTable }
  | { kind: 'rows'; table: ManifestTable; lines: string[] }
  /** The table's row count and checksum matched the manifest. */
  | { kind: 'end'; table: ManifestTable };

/**
 * Streams the archive's tables in batches, checking every section against the manifest: order, row count and
 * SHA-256. A mismatch throws before the consumer sees the end of that table, so a restore running in one
 * transaction rolls back instead of committing tampered or truncated data.
 */
export async function* readArchive(path: string, options: { batchRows?: number; batchChars?: number } = {}): AsyncGenerator<ArchiveEvent, BackupManifest> {
  const batchRows = options.batchRows ?? 500;
  const batchChars = options.batchChars ?? 4_000_000;
  const reader = lines(path);
  const next = async (): Promise<string | undefined> => {
    const r = await reader.iterator.next();
    return r.done ? undefined : r.value;
  };
  try {
    const manifest = parseManifest(await next(), path);
    for (const table of manifest.tables) {
      const headerText = await next();
      let header: { table?: string; rows?: number };
      try {
        header = JSON.parse(headerText ?? '') as typeof header;
      } catch {
        throw new ArchiveError(`${path}: expected the section of table ${table.name}, found something else (truncated or altered archive)`);
      }
      if (header.table !== table.name || header.rows !== table.rows) {
        throw new ArchiveError(`${path}: section ${String(header.table)} (${String(header.rows)} rows) does not match the manifest's ${table.name} (${table.rows} rows)`);
      }
      yield { kind: 'table', table };
      const digest = new TableDigest();
      let batch: string[] = [];
      let chars = 0;
      for (let i = 0; i < table.rows; i++) {
        const line = await next();
        if (line === undefined) throw new ArchiveError(`${path}: table ${table.name} ends after ${i} of ${table.rows} rows (truncated archive)`);
        digest.add(line);
        batch.push(line);
        chars += line.length;
        // The last batch of a table is held back until its checksum is confirmed.
        if (i < table.rows - 1 && (batch.length >= batchRows || chars >= batchChars)) {
          yield { kind: 'rows', table, lines: batch };
          batch = [];
          chars = 0;
        }
      }
      const sha = digest.hex();
      if (sha !== table.sha256) throw new ArchiveError(`${path}: table ${table.name} does not match its checksum (the archive was altered or damaged)`);
      if (batch.length > 0) yield { kind: 'rows', table, lines: batch };
      yield { kind: 'end', table };
    }
    if ((await next()) !== undefined) throw new ArchiveError(`${path}: unexpected data after the last table`);
    return manifest;
  } finally {
    reader.close();
  }
}
