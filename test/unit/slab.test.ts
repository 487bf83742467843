/** Arrays carved out of shared buffers (search/slab.ts) are zeroed, 8-byte aligned and apart. */
import { test } from 'node:test';
import assert from '../assert.js';
import { Slab } from '../../electron/engine/lines/slab.js';
import type { TypedArray } from '../../electron/engine/lines/slab.js';

test('a slab hands out zeroed, aligned arrays that do not overlap; big ones get a buffer of their own', () => {
  const slab = new Slab(1 << 16);
  const make = [(n: number) => slab.alloc(Uint8Array, n), (n: number) => slab.alloc(Uint16Array, n), (n: number) => slab.alloc(Uint32Array, n), (n: number) => slab.alloc(Int32Array, n)];
  const arrays: TypedArray[] = [];
  for (let k = 0; k < 200; k++) {
    const a = make[k % 4]!((k * 37) % 1000);
    assert.ok(a.every((v) => v === 0), `array ${k} zeroed`);
    assert.equal(a.byteOffset % 8, 0);
    assert.ok(a.buffer instanceof SharedArrayBuffer);
    a.fill(k + 1);
    arrays.push(a);
  }
  arrays.forEach((a, k) => assert.ok(a.every((v) => v === k + 1), `array ${k} kept its values`));
  assert.ok(new Set(arrays.map((a) => a.buffer)).size < 20, 'many arrays a buffer');
  const big = slab.alloc(Uint8Array, (1 << 14) + 1);
  assert.equal(big.buffer.byteLength, (1 << 14) + 8);
  assert.equal(slab.alloc(Uint8Array, 8).buffer, arrays.at(-1)!.buffer, 'the big one did not end the current buffer');
});
