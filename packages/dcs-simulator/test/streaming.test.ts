import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { DEMO_FEATURES } from '../src';
import { NOW, start } from './helpers';

describe('simulator: long spans stream', () => {
  it('streams a million half hours (57 years) in one answer, generating only as fast as the reader takes it', async () => {
    const sim = await start();
    try {
      const url = sim.url + `public/readings?id=R${DEMO_FEATURES.electricityRegisterId}&endTime=2026-03-15T10:00:00Z&periodCount=1000000`;
      const baseline = process.memoryUsage().arrayBuffers;
      const result = await new Promise<{ braces: number; tail: string; firstChunkBytes: number; heldBytes: number }>((resolve, reject) => {
        http
          .get(url, { headers: { 'Accept-Encoding': 'identity' } }, (res) => {
            assert.equal(res.statusCode, 200);
            assert.equal(res.headers['content-length'], undefined, 'no length known up front: the body is produced as it goes');
            // Each reading is one JSON object: count its opening braces (plus one for the answer itself).
            let braces = 0;
            let tail = '';
            let firstChunkBytes = 0;
            let heldBytes = 0;
            const count = (chunk: Buffer): void => {
              for (let i = chunk.indexOf(123); i >= 0; i = chunk.indexOf(123, i + 1)) braces++;
              tail = chunk.subarray(-2).toString('latin1');
            };
            res.once('data', (first: Buffer) => {
              firstChunkBytes = first.length;
              count(first);
              // Stop reading: a server that ignores backpressure would now build the whole ~68 MB body.
              res.pause();
              setTimeout(() => {
                heldBytes = process.memoryUsage().arrayBuffers - baseline;
                res.on('data', count);
                res.resume();
              }, 300);
            });
            res.on('end', () => resolve({ braces, tail, firstChunkBytes, heldBytes }));
            res.on('error', reject);
          })
          .on('error', reject);
      });
      assert.ok(result.firstChunkBytes < 1_000_000, 'the answer starts arriving long before the body is complete');
      assert.ok(result.heldBytes < 16_000_000, `server held back while the reader paused (${result.heldBytes} bytes buffered)`);
      assert.equal(result.braces - 1, 1_000_000, 'a million readings');
      assert.ok(result.tail.endsWith(']}'), 'the body is complete JSON');
      assert.ok(NOW.getTime() > Date.parse('2026-03-15T10:00:00Z'));
    } finally {
      await sim.close();
    }
  });

  it('stops generating when the reader goes away mid-stream, and keeps serving others', async () => {
    const sim = await start();
    try {
      const url = sim.url + `public/readings?id=R${DEMO_FEATURES.electricityRegisterId}&endTime=2026-03-15T10:00:00Z&periodCount=1000000`;
      await new Promise<void>((resolve) => {
        const req = http.get(url, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => undefined);
      });
      const answer = await fetch(sim.url + 'public/meters');
      assert.equal(answer.status, 200);
    } finally {
      await sim.close();
    }
  });
});
