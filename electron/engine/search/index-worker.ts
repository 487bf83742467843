/** Worker thread entry: builds index segments from chunk bytes shared with the main thread. */
import { parentPort } from 'node:worker_threads';
import { buildSegment } from './segment.js';
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
parentPort!.on('message', (job: Job) => {
  try {
    const seg = buildSegment(new Uint8Array(job.buf, job.off, job.len), job.starts);
    parentPort!.postMessage({ id: job.id, seg }, [seg.blockLine.buffer, seg.blockByte.buffer, seg.blockWord.buffer, seg.bloom.buffer, seg.nonAscii.buffer, seg.topKeys.buffer, seg.topOff.buffer, seg.topBytes.buffer, seg.postKind.buffer, seg.postOff.buffer, seg.postings.buffer] as ArrayBuffer[]);
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: (e as Error).message });
  }
});
