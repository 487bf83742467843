/**
 * Long builds (the call index, the entity index) written as generators that yield between
 * slices of their work. The CLI runs them to the end at once; the engine worker runs them sliced,
 * handing its thread back between slices, so the requests of the UI are answered while they
 * build (one build of 1 GB takes seconds there, and used to hold every request behind it).
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs the steps to the end, without pausing. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs the steps, giving the thread back (setImmediate: pending messages go first) after about
 * `sliceMs` of work; rejects with a `cancelled` error once the signal is aborted.
 */
export async function runSliced<T>(steps: Steps<T>, signal?: AbortSignal, sliceMs = 20): Promise<T> {
  let from = performance.now();
  for (;;) {
    if (signal?.aborted) throw new Error('cancelled');
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - from >= sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      from = performance.now();
    }
  }
}
