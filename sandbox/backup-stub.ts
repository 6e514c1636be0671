/**
 * Stands in for AWS Backup until `sandbox/backup` provides the real service: every call answers
 * UnknownOperationException naming the route, in Backup's restJson1 error shape.
 */
import type { BackupService, SandboxRequest, SandboxResponse } from './types';

export function createBackupStub(): BackupService {
  return {
    async handle(req: SandboxRequest): Promise<SandboxResponse> {
      const message = `Operation ${req.method} ${req.path} is not supported by service backup in this sandbox`;
      return {
        status: 400,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException', 'x-amzn-requestid': req.requestId },
        body: JSON.stringify({ __type: 'UnknownOperationException', message }),
      };
    },
    async close(): Promise<void> {},
  };
}
