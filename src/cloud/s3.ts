/**
 * S3 through the AWS SDK's standard credential chain only (environment, profile, SSO, web identity /
 * OIDC as aws-actions/configure-aws-credentials sets it up). `AWS_ENDPOINT_URL` points it at an
 * S3-compatible store (MinIO, R2, s3rver in the tests), with path-style addressing whenever an
 * endpoint is set. Checksums: we compute and verify our own sha256 (object metadata and HeadObject),
 * so the SDK's default CRC trailers are turned off; several S3-compatible stores reject them.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';

export class CredentialsError extends Error {}

type S3Module = typeof import('@aws-sdk/client-s3');
export type S3 = import('@aws-sdk/client-s3').S3Client;

export async function s3Client(): Promise<{ client: S3; sdk: S3Module }> {
  // the SDK warns on stderr about Node versions it will drop; our users' sessions need no such noise
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sdk = await import('@aws-sdk/client-s3');
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || undefined;
  const client = new sdk.S3Client({
    endpoint,
    forcePathStyle: Boolean(endpoint),
    region: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 5,
  });
  try {
    await client.config.credentials();
  } catch {
    throw new CredentialsError(
      'no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE; in the Action, aws-actions/configure-aws-credentials); AWS_ENDPOINT_URL for an S3-compatible store',
    );
  }
  return { client, sdk };
}

/** What S3 said, on one line, naming the credentials when they are the problem. */
export function s3Message(e: unknown, bucket: string): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  if (
    ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken'].includes(
      err.name ?? '',
    ) ||
    status === 403
  )
    return `S3 refused the credentials for bucket ${bucket} (${err.name ?? status}): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AWS_PROFILE, and the bucket's policy`;
  if (err.name === 'NoSuchBucket') return `no bucket '${bucket}' (create it, or set archive.bucket)`;
  const text = (err.message ?? String(e)).split('\n')[0];
  return `S3 (${bucket}): ${err.name && !text.includes(err.name) ? `${err.name}: ` : ''}${text}`;
}

/** Wraps an S3 call so its failure is one line (s3Message). */
export const s3Errors =
  (bucket: string) =>
  async <T>(what: Promise<T>): Promise<T> => {
    try {
      return await what;
    } catch (e) {
      throw new Error(s3Message(e, bucket));
    }
  };

export const sha256File = (file: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });

/** An S3 URL `s3://bucket/prefix` split in two. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new Error(`'${url}' is not an S3 URL (s3://bucket/prefix)`);
  return { bucket: m[1], prefix: m[2].replace(/\/+$/, '') };
}
