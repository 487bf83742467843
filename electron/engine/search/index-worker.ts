/** Worker thread entry: builds index segments from chunk bytes shared with the main thread. */
import { parentPort } from 'node:worker_threads';
import { buildSegment } from './segment.js';
import { Slab } from '../lines/slab.js';
import { lowerThreadPriority } from './thread-priority.js';

interface Job {
  id: number;
  buf: SharedArrayBuffer | ArrayBuffer;
  off: number;
  len: number;
  /** Line starts, then the chunk's length (buildSegment's line table). */
  starts: Uint32Array;
}

lowerThreadPriority();
// the segments' arrays are carved out of shared buffers: handed over without a copy or a transfer
const slab = new Slab();
parentPort!.on('message', (job: Job) => {
  try {
    const seg = buildSegment(new Uint8Array(job.buf, job.off, job.len), job.starts, slab.alloc);
    parentPort!.postMessage({ id: job.id, seg });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: (e as Error).message });
  }
});
