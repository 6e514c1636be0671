/** Recovery points of one table in one vault: listed page by page, and the newest usable one. */
import { BackupClient, ListRecoveryPointsByBackupVaultCommand, RecoveryPointByBackupVault } from '@aws-sdk/client-backup';

export async function listTableRecoveryPoints(backup: BackupClient, vaultName: string, tableArn: string): Promise<RecoveryPointByBackupVault[]> {
  const points: RecoveryPointByBackupVault[] = [];
  let token: string | undefined;
  do {
    const page = await backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vaultName, ByResourceArn: tableArn, NextToken: token }));
    points.push(...(page.RecoveryPoints ?? []));
    token = page.NextToken;
  } while (token);
  return points;
}

/** The newest COMPLETED recovery point (by CreationDate). */
export function latestCompleted(points: readonly RecoveryPointByBackupVault[]): RecoveryPointByBackupVault | undefined {
  return points
    .filter((p) => p.Status === 'COMPLETED')
    .sort((a, b) => (b.CreationDate?.getTime() ?? 0) - (a.CreationDate?.getTime() ?? 0))[0];
}
