import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifySigV4 } from '../../../sandbox/sigv4';

/** The SDK's Checksum interface over node:crypto, so the test needs no extra package. */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: Uint8Array | string) { this.hash = this.fresh(); }
  private fresh() { return this.secret ? createHmac('sha256', this.secret) : createHash('sha256'); }
  update(data: Uint8Array | string) { this.hash.update(data); }
  async digest() { return new Uint8Array(this.hash.digest()); }
  reset() { this.hash = this.fresh(); }
}

const keys = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' };

async function signed(service: string, path: string, query: Record<string, string>, body: string, secret = keys.secretAccessKey) {
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: secret }, sha256: Sha256 as never, uriEscapePath: service !== 's3' });
  const req = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4566, path, query,
    headers: { host: '127.0.0.1:4566', 'content-type': 'application/x-amz-json-1.0' }, body,
  });
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const rawQuery = new URLSearchParams(query).toString().replace(/\+/g, '%20');
  return { method: 'POST', rawPath: path, rawQuery, headers, body: Buffer.from(body) };
}

describe('verifySigV4', () => {
  it('accepts a request the SDK signed with the configured pair', async () => {
    expect(verifySigV4(await signed('dynamodb', '/', {}, '{"TableName":"t"}'), keys)).toEqual({ ok: true });
  });

  it('accepts a signed query string and path', async () => {
    expect(verifySigV4(await signed('s3', '/bucket/my%20key', { 'list-type': '2', prefix: 'a b' }, ''), keys)).toEqual({ ok: true });
  });

  it('rejects a request signed with another secret', async () => {
    expect(verifySigV4(await signed('dynamodb', '/', {}, '{}', 'wrong'), keys)).toMatchObject({ ok: false, code: 'InvalidSignatureException' });
  });

  it('rejects a body changed after signing', async () => {
    const req = await signed('kms', '/', {}, '{"a":1}');
    expect(verifySigV4({ ...req, body: Buffer.from('{"a":2}') }, keys)).toMatchObject({ ok: false, message: expect.stringMatching(/does not match/) });
  });

  it('rejects another access key id, naming it', async () => {
    const req = await signed('sts', '/', {}, '');
    req.headers.authorization = String(req.headers.authorization).replace('AKIDSANDBOX', 'AKIDOTHER');
    expect(verifySigV4(req, keys)).toMatchObject({ ok: false, code: 'UnrecognizedClientException', message: expect.stringMatching(/AKIDOTHER/) });
  });

  it('rejects an unsigned request', () => {
    expect(verifySigV4({ method: 'GET', rawPath: '/', rawQuery: '', headers: {}, body: Buffer.alloc(0) }, keys)).toMatchObject({ ok: false, code: 'MissingAuthenticationToken' });
  });
});
