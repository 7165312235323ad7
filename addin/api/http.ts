/**
 * The few shapes of `fetch` the add-in relies on, written out so that modules using them compile
 * both in the browser bundle (DOM types) and in the Node unit tests (no DOM): callers pass the
 * real `fetch` (window.fetch in the pane, globalThis.fetch in Node) and it fits these types.
 */

/** What the add-in reads from an HTTP response. */
export interface HttpResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: ByteStream | null;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/** A readable byte stream (a WHATWG ReadableStream<Uint8Array>). */
export interface ByteStream {
  getReader(): ByteStreamReader;
}

export interface ByteStreamReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}

export interface HttpRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export type Fetch = (url: string, init?: HttpRequestInit) => Promise<HttpResponse>;
