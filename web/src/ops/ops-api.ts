// Typed calls for the operations endpoints (administrators only): the health report and backups.
import { apiPath, getJson, postJson } from '../api.ts';

export type CheckStatus = 'ok' | 'warning' | 'failed';

export interface HealthCheck {
  name: string;
  status: CheckStatus;
  detail: string;
  skipped?: boolean;
  durationMs: number;
}

export interface HealthReport {
  status: CheckStatus;
  generatedAt: string;
  version: string;
  database: 'embedded' | 'postgres';
  checks: HealthCheck[];
}

export interface Backup {
  fileName: string;
  path: string;
  createdAt: string;
  backend: 'pglite' | 'postgres';
  label: string | null;
  sizeBytes: number;
}

export const opsKeys = {
  health: ['ops', 'health'] as const,
  backups: ['ops', 'backups'] as const,
};

export function fetchHealth(signal?: AbortSignal): Promise<HealthReport> {
  return getJson<HealthReport>(apiPath('/health'), signal);
}

export async function fetchBackups(signal?: AbortSignal): Promise<Backup[]> {
  return (await getJson<{ items: Backup[] }>(apiPath('/admin/backups'), signal)).items;
}

export async function createBackup(): Promise<{ backup: Backup; seconds: number }> {
  return (await postJson<{ backup: Backup; seconds: number }>(apiPath('/admin/backups'), {})).data;
}
