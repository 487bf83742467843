/**
 * Calls without keeping every byte (`pexlens calls`): a summary reads the text of few lines; the
 * rest it counts from the scan's columns. So the scan runs on each chunk as it is loaded, the
 * lines whose text build or summary may read are copied into a small buffer that replaces the
 * chunk, and the chunk's other bytes are let go. Peak memory then follows what calls need, not
 * the size of the input. Lines let go read as empty: such a store serves call summaries only.
 *
 * `keepsText` mirrors the readers and must move with them (the test compares every call of
 * generated bundles with a full load):
 * - build.ts: admin lifecycle lines, admin lines with a Participant-Id and no Call-Id (orphans),
 *   the first INVITE or Q.931 line of each call (its remote address);
 * - summary.ts: the first INVITE, Q.931 and RAS lines, SIP responses ≥ 400, the admin, BFCP and
 *   H.245 lines that may warn (adminWarns, bfcpWarns, h245Warns: a PIN, a host that never came, a
 *   floor refused), ICE lines saying fail, end-of-call media statistics;
 * - index.ts: conference created/stopped lines; scan.ts: every fragment (joined after the scan);
 * - node-addresses.ts: the first SIP lines of each sender heard under a host name (its address,
 *   saved with the calls so that the CLI names a node either way).
 */
import { Session } from '../session.js';
import type { OpenBundleOptions } from '../session.js';
import type { LineStore } from '../lines/line-store.js';
import { eolLength } from '../lines/line-store.js';
import { ChunkScan, I_CONF, I_FRAG, I_LIFECYCLE, K_ADMIN, K_BFCP, K_H245, K_LOG, K_Q931, K_RAS, K_SIP, SIP_INVITE } from './scan.js';
import type { Scan } from './scan.js';
import { adminWarns, bfcpWarns, FAIL, h245Warns, MEDIA } from './summary.js';
import { CallIndex, indexFromScan } from './index.js';
import { AT_LEAST, isAddress } from './node-addresses.js';

/** SIP lines kept per sender heard under a host name: a few times what pairing it needs, a few KB each. */
const PAIRING_LINES = 4 * AT_LEAST;

/** Loads a bundle keeping only the text its calls need, and builds its call index. */
export async function openCallsOnly(paths: string[], opts: OpenBundleOptions = {}): Promise<{ session: Session; index: CallIndex }> {
  const session = new Session(paths);
  const keeper = new CallTextKeeper(session.store);
  // the table cache would save the thinned chunks as if they were the files
  await session.load({ ...opts, tableCache: false, onChunk: (_chunk, c, first, n) => keeper.add(c, first, n) });
  return { session, index: indexFromScan(session.store, keeper.finish(), opts.signal) };
}

class CallTextKeeper {
  private readonly chunkScan: ChunkScan;
  /** SIP lines kept per sender heard under a host name, for node-addresses.ts to pair it with its address. */
  private readonly sampled = new Map<number, number>();

  constructor(private readonly store: LineStore) {
    this.chunkScan = new ChunkScan(store);
  }

  /** Scans a chunk's lines and replaces the chunk by their kept text; true: the chunk is released. */
  add(c: number, first: number, n: number): boolean {
    const s = this.chunkScan.scan;
    const keysBefore = s.keys.size;
    this.chunkScan.add(first, first + n);
    const store = this.store;
    const startCol = store.start.data;
    const endCol = store.end.data;
    const flagCol = store.flags.data;
    const chunk = store.chunks[c]!;
    const keep = new Uint8Array(n);
    let total = 0;
    for (let k = 0; k < n; k++) {
      const i = first + k;
      if (!this.keepsText(s, i)) continue;
      keep[k] = 1;
      total += endCol[i]! + eolLength(flagCol[i]!) - startCol[i]!;
    }
    // the kept lines, each with its line break, so raw() stays exact for them; consecutive kept
    // lines are one run of bytes, copied at once
    const own = Buffer.allocUnsafeSlow(total);
    let at = 0;
    let runFrom = -1;
    let runTo = 0;
    const copyRun = () => {
      if (runFrom < 0) return;
      chunk.copy(own, at, runFrom, runTo);
      at += runTo - runFrom;
      runFrom = -1;
    };
    for (let k = 0; k < n; k++) {
      const i = first + k;
      const ls = startCol[i]!;
      const le = endCol[i]!;
      if (!keep[k]) {
        copyRun();
        startCol[i] = endCol[i] = 0;
        continue;
      }
      if (runFrom < 0) runFrom = ls;
      startCol[i] = at + ls - runFrom;
      endCol[i] = at + le - runFrom;
      runTo = le + eolLength(flagCol[i]!);
    }
    copyRun();
    s.keys.moveOut(keysBefore);
    store.chunks[c] = own;
    return true;
  }

  /** Called before the chunk is replaced: the line's text is still in the store. */
  private keepsText(s: Scan, i: number): boolean {
    const info = s.info[i]!;
    switch (s.kind[i]) {
      case K_SIP:
        return (info & I_FRAG) !== 0 || s.sipStart[i] === SIP_INVITE || s.sipStatus[i]! >= 400 || this.pairs(i);
      case K_Q931:
      case K_RAS:
        return true;
      case K_ADMIN:
        return (info & (I_LIFECYCLE | I_CONF)) !== 0 || (s.partKey[i]! >= 0 && s.callKey[i]! < 0) || adminWarns(this.store.content(i));
      case K_BFCP:
        return bfcpWarns(this.store.content(i));
      case K_H245:
        return h245Warns(this.store.content(i));
      case K_LOG: {
        const c = this.store.content(i);
        return c.includes(FAIL) || c.includes(MEDIA);
      }
      default:
        return false;
    }
  }

  /** Whether a SIP line is one nodeAddresses reads to pair its sender's host name with an address (its first PAIRING_LINES). */
  private pairs(i: number): boolean {
    const sender = this.store.node.data[i]!;
    const n = this.sampled.get(sender) ?? 0;
    if (n >= PAIRING_LINES || isAddress(this.store.nodes.values[sender] ?? '')) return false;
    this.sampled.set(sender, n + 1);
    return true;
  }

  finish(): Scan {
    return this.chunkScan.finish();
  }
}
