/**
 * The line to moto: one keep-alive agent, requests sent as received, responses either streamed
 * through (the common case) or buffered when a fix or an error mapping needs to read them.
 */
import * as http from 'node:http';

/** A request as the front door forwards (and journals, and replays) it. */
export interface ForwardRequest {
  readonly method: string;
  /** Path plus query string. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface BufferedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export interface StreamedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly stream: http.IncomingMessage;
}

/** Headers that describe one hop, not the message; never copied between connections. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer', 'expect']);

export function endToEndHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_HEADERS.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export class MotoLink {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64, keepAliveMsecs: 10_000 });

  constructor(private readonly port: number) {}

  /** Sends the request; resolves once moto's status line and headers have arrived. */
  send(req: ForwardRequest): Promise<StreamedResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...req.headers, 'content-length': String(req.body.length) };
      const out = http.request(
        { host: '127.0.0.1', port: this.port, method: req.method, path: req.url, headers, agent: this.agent },
        (res) => resolve({ status: res.statusCode ?? 502, headers: endToEndHeaders(res.headers), stream: res }),
      );
      out.on('error', reject);
      out.end(req.body);
    });
  }

  async sendBuffered(req: ForwardRequest): Promise<BufferedResponse> {
    const res = await this.send(req);
    return { status: res.status, headers: res.headers, body: await readAll(res.stream) };
  }

  /** Seeds moto's random generator so the next ids it generates are reproducible. */
  async seed(seed: number): Promise<void> {
    const res = await this.sendBuffered({ method: 'POST', url: `/moto-api/seed?a=${seed}`, headers: {}, body: Buffer.alloc(0) });
    if (res.status !== 200) throw new Error(`moto refused seed ${seed}: HTTP ${res.status}`);
  }

  close(): void {
    this.agent.destroy();
  }
}

export function readAll(stream: NodeJS.ReadableStream, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error(`body larger than ${limit} bytes`), { code: 'BODY_TOO_LARGE' }));
        return;
      }
      chunks.push(c);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
