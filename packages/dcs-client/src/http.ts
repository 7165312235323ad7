/**
 * One HTTP exchange with DCS over node:http/https: connect and header timeouts, cancellation, and
 * a body reader that decompresses (gzip, deflate in either wrapping, brotli), times out when DCS
 * goes quiet, and turns a dropped connection into an error rather than a short body.
 *
 * node:http rather than fetch: it hands over the body as Buffers with no extra copies or web-stream
 * layers, which the readings parser needs to reach its throughput.
 */
import http from 'node:http';
import https from 'node:https';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { abortReason } from './abort';
import { attachRequest, DcsError, DcsNetworkError, DcsProtocolError, DcsTimeoutError } from './errors';
import { markRetryable } from './retryable';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Time to establish a new connection. */
  connectTimeoutMs: number;
  /** Time from sending the request to receiving the response headers (the client's timeoutMs). */
  timeoutMs: number;
  /** Longest silence allowed while waiting for the next part of the body. */
  idleTimeoutMs: number;
  agent: http.Agent | false;
  tls?: { ca?: string | string[]; rejectUnauthorized?: boolean };
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: BodyReader;
}

const CHUNK_SIZE = 64 * 1024;

function hostOf(url: URL): string {
  return url.host;
}

/** Turns a socket/TLS/zlib failure into the client's error classes. */
export function toNetworkError(error: unknown, url: URL, duringBody: boolean): DcsError {
  if (error instanceof DcsError) return error;
  const err = error as NodeJS.ErrnoException & { reason?: string };
  const code = err?.code ?? '';
  const where = hostOf(url);
  if (/^(ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_SSL)/.test(code) || /certificate/i.test(err?.message ?? '')) {
    return new DcsNetworkError(
      `The TLS connection to DCS at ${where} failed (${err.message}); if DCS uses a private certificate authority, pass its certificate as the "ca" option.`,
      { cause: error },
    );
  }
  if (code.startsWith('Z_')) {
    const e = new DcsProtocolError(`DCS's compressed answer could not be decompressed (${err.message}); it was probably cut short: try again.`, {
      cause: error,
    });
    return code === 'Z_BUF_ERROR' ? markRetryable(e) : e;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return markRetryable(new DcsNetworkError(`The DCS host ${url.hostname} could not be found (${code}); check the DCS URL.`, { cause: error }));
  }
  if (code === 'ECONNREFUSED') {
    return markRetryable(new DcsNetworkError(`DCS at ${where} refused the connection; check the DCS URL and that DCS is running.`, { cause: error }));
  }
  const message = duringBody
    ? `The connection to DCS at ${where} was dropped before the answer was complete (${err?.message ?? code}); try again.`
    : `The connection to DCS at ${where} failed (${err?.message ?? code}); check the network and try again.`;
  return markRetryable(new DcsNetworkError(message, { cause: error }));
}

export function sendRequest(request: HttpRequest): Promise<HttpResponse> {
  const { url, signal } = request;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  // What errors name: the method and URL only (never the body, which may hold credentials).
  const target = { method: request.method, url };
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    let connectTimer: NodeJS.Timeout | undefined;
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(
      url,
      {
        method: request.method,
        headers: request.headers,
        agent: request.agent,
        ...(url.protocol === 'https:' ? request.tls : {}),
      },
      (res) => {
        if (settled) {
          res.destroy();
          return;
        }
        settled = true;
        cleanup();
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: new BodyReader(res, { ...target, idleTimeoutMs: request.idleTimeoutMs }, signal),
        });
      },
    );
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      cleanup();
      req.destroy();
      reject(error);
    };
    const onAbort = (): void => fail(abortReason(signal as AbortSignal));
    const headersTimer = setTimeout(
      () => fail(new DcsTimeoutError(`DCS at ${hostOf(url)} did not answer within ${request.timeoutMs} ms; try a shorter span, or raise timeoutMs.`, target)),
      request.timeoutMs,
    );
    function cleanup(): void {
      clearTimeout(headersTimer);
      if (connectTimer) clearTimeout(connectTimer);
      signal?.removeEventListener('abort', onAbort);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      connectTimer = setTimeout(
        () =>
          fail(
            markRetryable(
              new DcsTimeoutError(
                `Could not connect to DCS at ${hostOf(url)} within ${request.connectTimeoutMs} ms; check the DCS URL, the network, and that DCS is running.`,
                target,
              ),
            ),
          ),
        request.connectTimeoutMs,
      );
      socket.once('connect', () => clearTimeout(connectTimer));
    });
    // After the response arrives, body errors surface through the BodyReader; keep this one quiet.
    req.on('error', (error) => fail(attachRequest(toNetworkError(error, url, false), target)));
    req.end(request.body);
  });
}

/** Sniffs whether a "deflate" body is zlib-wrapped (as the standard says) or raw (as some servers send). */
class DeflateDecoder extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | undefined;
  private head = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.inner) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 2) {
        callback();
        return;
      }
      const wrapped = (this.head[0] & 0x0f) === 8 && ((this.head[0] << 8) | this.head[1]) % 31 === 0;
      this.inner = wrapped ? zlib.createInflate({ chunkSize: CHUNK_SIZE }) : zlib.createInflateRaw({ chunkSize: CHUNK_SIZE });
      this.inner.on('data', (data: Buffer) => this.push(data));
      this.inner.on('error', (error) => this.destroy(error));
      chunk = this.head;
    }
    this.inner.write(chunk, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    if (!this.inner) {
      callback(this.head.length > 0 ? Object.assign(new Error('unexpected end of file'), { code: 'Z_BUF_ERROR' }) : null);
      return;
    }
    this.inner.once('end', () => callback());
    this.inner.end();
  }
}

function decoderFor(encoding: string): Transform | undefined | 'unknown' {
  switch (encoding) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip({ chunkSize: CHUNK_SIZE });
    case 'deflate':
      return new DeflateDecoder();
    case 'br':
      return zlib.createBrotliDecompress({ chunkSize: CHUNK_SIZE });
    default:
      return 'unknown';
  }
}

/**
 * The body of a response, read chunk by chunk on demand (so a slow reader slows the socket instead
 * of filling memory). Each wait for a chunk is bounded by the idle timeout and the abort signal.
 */
export class BodyReader {
  private readonly stream: Readable;
  private readonly iterator: AsyncIterator<Buffer>;
  private failure: DcsError | undefined;
  private done = false;

  private readonly url: URL;
  private readonly idleTimeoutMs: number;

  constructor(
    private readonly raw: http.IncomingMessage,
    private readonly request: Pick<HttpRequest, 'method' | 'url' | 'idleTimeoutMs'>,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.url = request.url;
    this.idleTimeoutMs = request.idleTimeoutMs;
    const encoding = String(raw.headers['content-encoding'] ?? '')
      .trim()
      .toLowerCase();
    const decoder = decoderFor(encoding);
    if (decoder === 'unknown') {
      this.failure = new DcsProtocolError(
        `DCS answered with content encoding "${encoding}", which this client cannot decode; ask for the DCS server's compression settings to allow gzip.`,
        { method: request.method, url: request.url },
      );
      this.stream = raw;
    } else if (decoder) {
      this.stream = pipeline(raw, decoder, () => undefined);
    } else {
      this.stream = raw;
    }
    this.iterator = this.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** The next decoded chunk, or null at the end of the body. */
  async next(): Promise<Buffer | null> {
    if (this.failure) throw this.failure;
    if (this.done) return null;
    if (this.signal?.aborted) {
      this.destroy();
      throw abortReason(this.signal);
    }
    const pending = this.iterator.next();
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      const result = await new Promise<IteratorResult<Buffer>>((resolve, reject) => {
        timer = setTimeout(() => {
          reject(
            new DcsTimeoutError(
              `DCS at ${this.url.host} stopped sending for ${this.idleTimeoutMs} ms in the middle of its answer; try again, or raise idleTimeoutMs.`,
              { method: this.request.method, url: this.url },
            ),
          );
        }, this.idleTimeoutMs);
        if (this.signal) {
          const signal = this.signal;
          onAbort = () => reject(abortReason(signal));
          signal.addEventListener('abort', onAbort, { once: true });
        }
        pending.then(resolve, reject);
      });
      if (result.done) {
        this.done = true;
        return null;
      }
      return result.value;
    } catch (error) {
      this.destroy();
      if (this.signal?.aborted && error === abortReason(this.signal)) throw error;
      this.failure = attachRequest(toNetworkError(error, this.url, true), this.request);
      throw this.failure;
    } finally {
      clearTimeout(timer);
      if (onAbort) this.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The whole body (for small answers: meters, error bodies, sign-in). */
  async readAll(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (let chunk = await this.next(); chunk !== null; chunk = await this.next()) parts.push(chunk);
    return Buffer.concat(parts);
  }

  /** Drops the rest of the body and frees the connection. */
  destroy(): void {
    this.done = true;
    // Destroying a response that is not complete also closes its socket, which is what we want:
    // the rest of an abandoned answer must not be read into a reused connection.
    this.raw.destroy();
    if (this.stream !== this.raw) this.stream.destroy();
  }
}
