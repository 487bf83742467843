/**
 * node:assert/strict for the tests, with one change: `assert.ok(value)` without a message gets
 * one. Node builds a missing message by reading the call's source again at the position of the
 * code it ran; under tsx that is the compiled code's position, not the .ts file's, and Node 20
 * then loops forever (a failing check hung the test process instead of failing it).
 */
import { inspect } from 'node:util';
import strict from 'node:assert/strict';

function ok(value: unknown, message?: string | Error): asserts value {
  strict.ok(value, message ?? `${inspect(value)} is not truthy`);
}

const assert: typeof strict = Object.assign(ok, strict, { ok });
export default assert;
