/**
 * The sandbox's own AWS Backup (restJson1): vaults, plans, selections, region settings, backup,
 * restore and copy jobs over DynamoDB tables, recovery points with their data, all durable in the
 * state dir. The front door routes requests whose SigV4 service is `backup` to `handle`.
 */
export { createBackupService, type SandboxBackupService } from './service';
export { DURATIONS as BACKUP_JOB_DURATIONS } from './jobs/runner';
