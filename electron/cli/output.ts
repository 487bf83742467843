/** Buffered, back-pressured writing to stdout for outputs of any size: the export sink, without progress or cancel. */
import { Sink } from '../engine/export/sink.js';

export class Out extends Sink {
  constructor(stream: NodeJS.WritableStream = process.stdout) {
    super(stream);
  }
}
