/**
 * Nodes that could not reach each other (administrator.system.connectivity), as spans: a node's
 * first "Unable to contact node." about another, to the "Connectivity re-established." (or
 * "established.") of the same pair. A conference spread over two nodes, or a call signaled on one
 * and mixed on another, needs the two to reach each other; a loss between them while it was up is
 * a first suspect for media lost or a call cut.
 */
import type { ContactLoss } from '../../api.js';
import type { LineStore } from '../lines/line-store.js';
import { picker, pickInto } from './pick.js';
import { formatTime } from '../lines/time.js';

const MODULE = 'administrator.system.connectivity';
const FIELDS = picker(['message', 'src-node', 'node', 'path']);
const slots: Array<string | undefined> = [];

/**
 * The losses of contact in the bundle, each with the view position of its first line (its first
 * report, or its re-establishing when lost before the log): lost before the log first, then in
 * the order they began.
 */
export function contactLossesAt(store: LineStore): Array<{ loss: ContactLoss; line: number }> {
  const module = store.names.values.indexOf(MODULE);
  if (module < 0) return [];
  const open = new Map<string, ContactLoss>();
  /** Pairs the log has said anything of: only a pair's first event can end a loss from before the log. */
  const seen = new Set<string>();
  const out: Array<{ loss: ContactLoss; line: number }> = [];
  for (const p of store.modulePositions(module)) {
    const i = store.at(p);
    const [message = '', from = '', to = '', path = null] = pickInto(store, i, FIELDS, slots);
    const lost = /^Unable to contact node/i.test(message);
    if (!lost && !/^Connectivity (re-)?established/i.test(message)) continue;
    const key = `${from}\0${to}`;
    const at = formatTime(store.time.data[i]!);
    const loss = open.get(key);
    const first = !seen.has(key);
    seen.add(key);
    if (lost) {
      // reported again while lost: the node keeps trying
      if (loss) loss.reports++;
      else {
        const l: ContactLoss = { from, to, lost: at, back: null, reports: 1, path: null };
        open.set(key, l);
        out.push({ loss: l, line: p });
      }
    } else if (loss) {
      loss.back = at;
      loss.path = path;
      open.delete(key);
    } else if (first && /re-established/i.test(message)) out.push({ loss: { from, to, lost: null, back: at, reports: 0, path }, line: p });
    // else: contact (re-)established with nothing lost since: a node joining, or a repeat
  }
  return [...out.filter((x) => x.loss.lost === null), ...out.filter((x) => x.loss.lost !== null)];
}

export function contactLosses(store: LineStore): ContactLoss[] {
  return contactLossesAt(store).map((x) => x.loss);
}
