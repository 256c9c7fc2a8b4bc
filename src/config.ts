import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { parseCron } from './modules/ops/cron.ts';

/**
 * The one typed configuration. Read from the environment, optionally from a `.env` file (environment wins),
 * validated once at start: every problem is collected so an operator fixes them all in one go.
 */
export type Profile = 'development' | 'test' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  profile: Profile;
  host: string;
  port: number;
  /** Embedded database directory (PGlite); ignored when databaseUrl is set. */
  dataDir: string;
  /** PostgreSQL server for the app (ideally a non-superuser login role). */
  databaseUrl: string | null;
  /** Privileged connection for migrations and seeding; defaults to databaseUrl. */
  migrationDatabaseUrl: string | null;
  databasePoolMax: number;
  logLevel: LogLevel;
  sessionSecret: string;
  /** A session's cookie token is replaced when older than this (the session itself stays). */
  sessionRotateMinutes: number;
  /** Serve the built web UI from web/dist. */
  serveWeb: boolean;
  /** Number of RDKit worker threads. */
  chemWorkers: number;
  backupDir: string;
  /** Cron expression (5 fields, local time) for backups taken by `serve`; null = no scheduled backups. */
  backupSchedule: string | null;
  /** Grandfather-father-son retention applied by `backup prune` and after each scheduled backup. */
  backupKeep: { daily: number; weekly: number; monthly: number };
  /** local: no sign-in, every request is the built-in admin (loopback only); accounts: sign-in required. */
  authMode: 'local' | 'accounts';
  /** Who may sign up once the first user (who becomes admin) exists. */
  signupMode: 'open' | 'invite-only';
  /** Where the default mail sender writes messages (password resets, invitations) as .eml files. */
  mailOutboxDir: string;
  /** Public base URL used in links sent by mail. */
  publicUrl: string;
}

export const DEFAULT_SESSION_SECRET = 'development-only-secret-change-me';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Every variable the app reads, with its meaning; `.env.example` and docs/configuration.md mirror this list. */
export const CONFIG_VARIABLES = [
  'NODE_ENV', 'HOST', 'PORT', 'DATA_DIR', 'DATABASE_URL', 'MIGRATION_DATABASE_URL', 'DATABASE_POOL_MAX',
  'LOG_LEVEL', 'SESSION_SECRET', 'SESSION_ROTATE_MINUTES', 'SERVE_WEB', 'CHEM_WORKERS', 'BACKUP_DIR', 'BACKUP_SCHEDULE', 'BACKUP_KEEP_DAILY', 'BACKUP_KEEP_WEEKLY', 'BACKUP_KEEP_MONTHLY', 'AUTH_MODE', 'SIGNUP_MODE', 'MAIL_OUTBOX_DIR', 'PUBLIC_URL',
] as const;

type Env = Record<string, string | undefined>;

/** Reads `.env` from the working directory (if present) underneath the real environment. */
export function environmentWithDotenv(env: Env = process.env, cwd = process.cwd()): Env {
  const file = resolve(cwd, '.env');
  if (!existsSync(file)) return env;
  const fromFile = parseEnv(readFileSync(file, 'utf8')) as Env;
  return { ...fromFile, ...env };
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = environmentWithDotenv()): Config {
  const problems: string[] = [];
  const text = (name: string) => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const postgresUrl = (name: string): string | null => {
    const raw = text(name);
    if (raw === undefined) return null;
    try {
      const u = new URL(raw);
      if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
        problems.push(`${name} must be a postgres:// or postgresql:// URL (got protocol "${u.protocol}")`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const profileRaw = text('NODE_ENV') ?? 'development';
  let profile: Profile = 'development';
  if (profileRaw === 'development' || profileRaw === 'test' || profileRaw === 'production') profile = profileRaw;
  else problems.push(`NODE_ENV must be development, test or production (got "${profileRaw}")`);

  const logLevelRaw = text('LOG_LEVEL') ?? (profile === 'test' ? 'silent' : 'info');
  let logLevel: LogLevel = 'info';
  if ((LOG_LEVELS as readonly string[]).includes(logLevelRaw)) logLevel = logLevelRaw as LogLevel;
  else problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`);

  const sessionSecret = text('SESSION_SECRET') ?? DEFAULT_SESSION_SECRET;
  if (profile === 'production' && sessionSecret === DEFAULT_SESSION_SECRET) {
    problems.push('SESSION_SECRET must be set to a private value in production (the default is public)');
  } else if (profile === 'production' && sessionSecret.length < 32) {
    problems.push('SESSION_SECRET must be at least 32 characters in production');
  }

  const cronSetting = (name: string): string | null => {
    const raw = text(name);
    if (raw === undefined) return null;
    try {
      parseCron(raw);
    } catch (error) {
      problems.push(`${name} is not a valid cron expression: ${(error as Error).message}`);
    }
    return raw;
  };

  const databaseUrl = postgresUrl('DATABASE_URL');
  const host = text('HOST') ?? '127.0.0.1';
  const authDefault = profile === 'production' || databaseUrl !== null ? 'accounts' : 'local';
  const authRaw = text('AUTH_MODE') ?? authDefault;
  let authMode: Config['authMode'] = authDefault;
  if (authRaw === 'local' || authRaw === 'accounts') authMode = authRaw;
  else problems.push(`AUTH_MODE must be local or accounts (got "${authRaw}")`);
  // Local mode trusts every caller as the administrator: only acceptable when nobody else can connect.
  if (authMode === 'local' && !['127.0.0.1', '::1', 'localhost'].includes(host)) {
    problems.push(`AUTH_MODE=local is only allowed when HOST is a loopback address (got "${host}"); use AUTH_MODE=accounts`);
  }
  const signupRaw = text('SIGNUP_MODE') ?? 'open';
  let signupMode: Config['signupMode'] = 'open';
  if (signupRaw === 'open' || signupRaw === 'invite-only') signupMode = signupRaw;
  else problems.push(`SIGNUP_MODE must be open or invite-only (got "${signupRaw}")`);
  const config: Config = {
    profile,
    host,
    port: integer('PORT', 8080, 0, 65535),
    dataDir: resolve(text('DATA_DIR') ?? './data'),
    databaseUrl,
    migrationDatabaseUrl: postgresUrl('MIGRATION_DATABASE_URL') ?? databaseUrl,
    databasePoolMax: integer('DATABASE_POOL_MAX', 10, 1, 200),
    logLevel,
    sessionSecret,
    sessionRotateMinutes: integer('SESSION_ROTATE_MINUTES', 15, 1, 1440),
    serveWeb: boolean('SERVE_WEB', true),
    chemWorkers: integer('CHEM_WORKERS', 2, 1, 64),
    backupDir: resolve(text('BACKUP_DIR') ?? './backups'),
    backupSchedule: cronSetting('BACKUP_SCHEDULE'),
    backupKeep: {
      daily: integer('BACKUP_KEEP_DAILY', 7, 0, 3660),
      weekly: integer('BACKUP_KEEP_WEEKLY', 4, 0, 520),
      monthly: integer('BACKUP_KEEP_MONTHLY', 12, 0, 1200),
    },
    authMode,
    signupMode,
    mailOutboxDir: resolve(text('MAIL_OUTBOX_DIR') ?? `${text('DATA_DIR') ?? './data'}/outbox`),
    publicUrl: (text('PUBLIC_URL') ?? `http://${host}:${text('PORT') ?? '8080'}`).replace(/\/$/, ''),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
