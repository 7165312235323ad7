import type { ByteStream } from './http';

/**
 * The JSON records of a newline-delimited JSON stream, one per line, as they arrive.
 * A line that is not JSON fails the whole read with a message quoting it: a reader must never
 * mistake a damaged stream for a complete one.
 */
export async function* ndjsonRecords(stream: ByteStream): AsyncGenerator<unknown, void, undefined> {
  const reader = stream.getReader();
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim() !== '') yield parseLine(line);
        newline = pending.indexOf('\n');
      }
    }
    pending += decoder.decode();
    if (pending.trim() !== '') yield parseLine(pending);
    finished = true;
  } finally {
    // Stopping early (an error record, a cancel) must release the connection, not leave it open.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    const shown = line.length > 80 ? `${line.slice(0, 80)}...` : line;
    throw new Error(
      `The server's readings stream contained a line that is not JSON ("${shown}"); the pull was stopped. Try again; if it keeps happening, check the server's log.`,
    );
  }
}
