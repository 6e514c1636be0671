/**
 * The judgments the log-bucket rules (TS-S3-001..003) and the evidence-bucket rules (TS-S3-005,
 * 007, 008) share: the same setting, the same words, the same remedy. Each rule decides its own
 * scope (which buckets it holds) and whether the setting is known, then asks here.
 */
import type { BucketFact } from '../../facts/types';
import { compliant, Finding, nonCompliant } from '../rule';

/** The public access block settings that are off, by field name. */
export function publicAccessOff(b: BucketFact): string[] {
  return Object.entries(b.publicAccessBlocked).filter(([, on]) => !on).map(([k]) => k);
}

const ALL_BLOCKED = 'blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true';

/** All four public access block settings on. */
export function publicAccessFinding(b: BucketFact): Finding {
  const off = publicAccessOff(b);
  return off.length === 0
    ? compliant(b, 'all public access is blocked', ALL_BLOCKED, ALL_BLOCKED)
    : nonCompliant(b, `public access block is off: ${off.join(', ')}`, { expected: ALL_BLOCKED, actual: `false: ${off.join(', ')}` }, 'add an aws_s3_bucket_public_access_block with all four settings true');
}

const TLS_DENY = 'Deny s3:* when aws:SecureTransport = false';

/** A bucket policy statement denying requests made without TLS. */
export function tlsOnlyFinding(b: BucketFact): Finding {
  return b.tlsOnly
    ? compliant(b, 'bucket policy requires TLS', TLS_DENY, TLS_DENY)
    : nonCompliant(b, 'bucket policy does not require TLS', { expected: TLS_DENY, actual: b.policy ? 'no such Deny statement' : 'no bucket policy' }, 'add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Condition Bool aws:SecureTransport false');
}

/** Versioning enabled. */
export function versioningFinding(b: BucketFact): Finding {
  return b.versioning
    ? compliant(b, 'versioning is enabled', 'Enabled', 'Enabled')
    : nonCompliant(b, 'versioning is not enabled', { expected: 'Enabled', actual: 'not enabled' }, 'add an aws_s3_bucket_versioning with status Enabled');
}
