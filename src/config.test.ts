import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SESSION_SECRET, environmentWithDotenv, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has working defaults for a zero-setup start', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ profile: 'development', port: 8080, host: '127.0.0.1', databaseUrl: null, serveWeb: true });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ PORT: 'eighty', NODE_ENV: 'staging', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', SERVE_WEB: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(5);
      expect(problems.join('\n')).toMatch(/PORT[\s\S]*NODE_ENV[\s\S]*LOG_LEVEL|NODE_ENV/);
      expect(problems.some((p) => p.startsWith('DATABASE_URL must be a postgres://'))).toBe(true);
    }
  });

  it('refuses the public default secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET must be set/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).toThrow(/at least 32/);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) }).sessionSecret).not.toBe(DEFAULT_SESSION_SECRET);
  });

  it('reads .env underneath the real environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-'));
    writeFileSync(join(dir, '.env'), 'PORT=9000\nLOG_LEVEL=debug\n');
    const env = environmentWithDotenv({ PORT: '9100' }, dir);
    expect(loadConfig(env)).toMatchObject({ port: 9100, logLevel: 'debug' });
  });

  it('uses local auth only on loopback, and accounts for servers and production', () => {
    expect(loadConfig({}).authMode).toBe('local');
    expect(loadConfig({ DATABASE_URL: 'postgres://app@db/cryo' }).authMode).toBe('accounts');
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) }).authMode).toBe('accounts');
    expect(() => loadConfig({ HOST: '0.0.0.0', AUTH_MODE: 'local' })).toThrow(/only allowed when HOST is a loopback/);
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/AUTH_MODE=local/);
    expect(loadConfig({ HOST: '0.0.0.0', AUTH_MODE: 'accounts' }).authMode).toBe('accounts');
    expect(() => loadConfig({ SIGNUP_MODE: 'closed' })).toThrow(/SIGNUP_MODE/);
  });

  it('defaults the migration connection to the app connection', () => {
    const url = 'postgres://app@db/cryo';
    expect(loadConfig({ DATABASE_URL: url }).migrationDatabaseUrl).toBe(url);
    expect(loadConfig({ DATABASE_URL: url, MIGRATION_DATABASE_URL: 'postgres://owner@db/cryo' }).migrationDatabaseUrl).toBe('postgres://owner@db/cryo');
  });
});
