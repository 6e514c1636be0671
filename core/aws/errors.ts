/** How tablesafe reads an AWS SDK error: one line for people, and whether another try may help. */

/** `Name: first line of the message`, without stack or metadata. */
export function describeError(e: unknown): string {
  const err = e as Error & { $metadata?: { httpStatusCode?: number } };
  const name = err?.name && err.name !== 'Error' ? `${err.name}: ` : '';
  return `${name}${err?.message ?? String(e)}`.split('\n')[0];
}

/** Throttling and server-side errors: worth another try. */
export function isRetryable(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  return (
    /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|TooManyRequests|ServiceUnavailable|InternalServer|InternalFailure|LimitExceeded/.test(err?.name ?? '') ||
    (err?.$metadata?.httpStatusCode ?? 0) >= 500 ||
    err?.$retryable !== undefined
  );
}

/** `ResourceNotFoundException`, `NoSuchBucket`, …: the thing asked about does not exist. */
export function isNotFound(e: unknown): boolean {
  return /NotFound|NoSuch/.test((e as Error)?.name ?? '');
}
