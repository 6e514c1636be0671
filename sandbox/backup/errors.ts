import type { SandboxResponse } from '../types';

/**
 * An AWS Backup error as the service returns it. The status follows the AWS Backup API reference
 * (client errors 400, AccessDenied 403, server-side 500); the code travels in the
 * `x-amzn-ErrorType` header (read first by both SDK v3 and the Go SDK) and again in the body as
 * `__type` and `Code`, with the message as `Message` (and lower-case `message`, which some SDKs
 * look up first).
 */
export class BackupError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const notFound = (what: string): BackupError => new BackupError('ResourceNotFoundException', what);
export const invalidValue = (msg: string): BackupError => new BackupError('InvalidParameterValueException', msg);
export const missingValue = (field: string): BackupError =>
  new BackupError('MissingParameterValueException', `Missing required parameter in input: "${field}"`);
export const invalidRequest = (msg: string): BackupError => new BackupError('InvalidRequestException', msg);
export const alreadyExists = (msg: string): BackupError => new BackupError('AlreadyExistsException', msg);
export const accessDenied = (msg: string): BackupError => new BackupError('AccessDeniedException', msg, 403);

export function errorResponse(err: BackupError, requestId: string): SandboxResponse {
  return {
    status: err.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': err.code,
      'x-amzn-requestid': requestId,
    },
    body: JSON.stringify({ __type: err.code, Code: err.code, Message: err.message, message: err.message }),
  };
}
