/**
 * When a node's Infinity application started (administrator.system "Starting Infinity
 * application.", with its Pid and Version): in the middle of a log, a restart. "Did a node
 * restart during the incident?" is among a case's first questions, and the version each node
 * came up with shows an upgrade, or nodes on different versions.
 */
import type { NodeStart } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { formatTime } from '../lines/time.js';
import { picker, pickInto } from './pick.js';

const MODULE = 'administrator.system';
const FIELDS = picker(['message', 'version', 'pid']);
const STARTING = /^Starting Infinity application/i;
const slots: Array<string | undefined> = [];

/** Every application start in the bundle, in view order. */
export function nodeStarts(store: LineStore): NodeStart[] {
  const out: NodeStart[] = [];
  for (const p of store.modulePositions(store.names.values.indexOf(MODULE))) {
    const i = store.at(p);
    const [message = '', version = null, pid = null] = pickInto(store, i, FIELDS, slots);
    if (!STARTING.test(message)) continue;
    out.push({ node: store.nodeOf(i), time: formatTime(store.time.data[i]!), version, pid, line: p });
  }
  return out;
}
