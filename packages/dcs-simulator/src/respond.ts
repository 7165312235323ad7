/**
 * Writing answers: JSON bodies (compressed when the caller accepts it) and streamed readings
 * with backpressure.
 */

import { IncomingMessage, ServerResponse } from 'node:http';
import * as zlib from 'node:zlib';
import { DcsRefusal } from './errors';

export type Encoding = 'gzip' | 'deflate' | undefined;

/** Picks gzip or deflate from Accept-Encoding, honouring q-values (q=0 refuses). */
export function negotiateEncoding(header: string | string[] | undefined): Encoding {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: Encoding;
  let bestQ = 0;
  for (const part of text.split(',')) {
    const [rawName, ...params] = part.trim().split(';');
    const name = rawName.trim().toLowerCase();
    if (name !== 'gzip' && name !== 'deflate' && name !== '*') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    const chosen: Encoding = name === '*' ? 'gzip' : name;
    // Prefer gzip on a tie: every client that can inflate can gunzip.
    if (q > bestQ || (q === bestQ && chosen === 'gzip')) {
      best = chosen;
      bestQ = q;
    }
  }
  return best;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: string, headers: Record<string, string | string[]> = {}): void {
  const encoding = negotiateEncoding(req.headers['accept-encoding']);
  let payload: Buffer = Buffer.from(body, 'utf8');
  const out: Record<string, string | string[] | number> = { 'Content-Type': JSON_TYPE, Vary: 'Accept-Encoding', ...headers };
  // Small error bodies are not worth compressing; DCS (IIS) compresses the rest.
  if (encoding && payload.length > 256) {
    payload = encoding === 'gzip' ? zlib.gzipSync(payload) : zlib.deflateSync(payload);
    out['Content-Encoding'] = encoding;
  }
  out['Content-Length'] = payload.length;
  res.writeHead(status, out);
  res.end(payload);
}

export function sendError(req: IncomingMessage, res: ServerResponse, error: DcsRefusal): void {
  sendJson(req, res, error.status, error.body(), error.headers);
}

export interface BodySource {
  /** The next piece of the body, or null when complete. */
  next(): Buffer | string | null;
}

export interface StreamOptions {
  headers: Record<string, string | string[]>;
  /** Send the headers and part of the body, then destroy the connection (a fault). */
  cut: boolean;
}

/**
 * Streams a body piece by piece, producing the next piece only when the previous one has been
 * taken (write() returning false waits for 'drain'). A failure while producing destroys the
 * connection, so the reader sees a broken answer, never a short "complete" one.
 */
export function streamJson(req: IncomingMessage, res: ServerResponse, source: BodySource, options: StreamOptions): void {
  const encoding = negotiateEncoding(req.headers['accept-encoding']);
  const headers: Record<string, string | string[]> = { 'Content-Type': JSON_TYPE, Vary: 'Accept-Encoding', ...options.headers };
  if (encoding) headers['Content-Encoding'] = encoding;
  res.writeHead(200, headers);

  let compressor: zlib.Gzip | zlib.Deflate | undefined;
  if (encoding) {
    // Speed over ratio: the readings stream must not be limited by the compressor.
    compressor = encoding === 'gzip' ? zlib.createGzip({ level: 1 }) : zlib.createDeflate({ level: 1 });
    compressor.on('error', (err) => res.destroy(err));
    compressor.pipe(res);
  }
  const sink: NodeJS.WritableStream = compressor ?? res;
  let closed = false;
  res.on('close', () => {
    closed = true;
    compressor?.destroy();
  });

  /** The source's next piece; when producing it fails, the connection is destroyed and undefined returned. */
  const nextPiece = (): Buffer | string | null | undefined => {
    try {
      return source.next();
    } catch (err) {
      res.destroy(err as Error);
      return undefined;
    }
  };

  if (options.cut) {
    const piece = nextPiece();
    if (piece === undefined) return;
    const partial = (piece ?? '').slice(0, Math.max(1, Math.floor((piece ?? '').length / 2)));
    const cutNow = (): void => {
      res.destroy();
    };
    if (compressor) {
      compressor.write(partial);
      compressor.flush(() => setImmediate(cutNow));
    } else {
      res.write(partial, () => setImmediate(cutNow));
    }
    return;
  }

  const pump = (): void => {
    while (!closed) {
      const piece = nextPiece();
      if (piece === undefined) return;
      if (piece === null) {
        sink.end();
        return;
      }
      if (!sink.write(piece)) {
        sink.once('drain', pump);
        return;
      }
    }
  };
  pump();
}
