/**
 * Redaction with consistent pseudonyms: the same personal value (case-insensitively) always maps
 * to the same stand-in, so a redacted flow stays readable and traceable.
 *
 * How it works: personal strings are *learned* (display names, SIP/H.323 aliases and their user
 * parts, URI/e-mail hosts, conference names, values of personal fields such as DisplayName,
 * Participant, ConferenceAlias) and then every occurrence of a learned string is replaced
 * anywhere in the text ("sweep"), including SIP bodies, fragments and free text. IPv4/IPv6
 * addresses (also H.323's hex `ip: 0a 2e 0a 07`) are replaced by pattern. Correlation ids
 * (Call-ID, Uuid, *-Id fields, tags, branches) are never learned from, so they stay; only an IP
 * or learned host inside them (Call-ID `abc@10.0.0.1`) is replaced, the same way everywhere.
 *
 * For the strongest result learn everything first (`learnLine`/`learnText` over all output),
 * then redact: stand-ins are allocated lazily and never equal an original seen while learning.
 * Redacting without learning first also works (each text is learned as it is redacted).
 */

import type { CallSummary, CallTrace, TraceMessage } from '../../api.js';
import { scanQuoted, unescapeValue } from '../lines/fields.js';

type Kind = 'name' | 'user' | 'host' | 'conf' | 'ip4' | 'ip6';

/** Value classes inside a log line. */
type Cls = 'free' | 'ids' | 'keep';

const STOP = new Set(
  (
    'sip sips tel h323 user users guest guests host hosts admin administrator room rooms meeting meetings meet conference conferences ' +
    'vmr vmrs video audio call calls caller callee the and for with from to of in on at by an is my our your team teams test demo lobby ' +
    'desk office phone mobile client web webrtc pexip infinity connect app endpoint bridge gateway name names person domain invalid ' +
    'example com net org www mail none null true false unknown anonymous localhost default service services virtual participant ' +
    'participants alias aliases display new old main auto system node nodes remote local transport tcp udp tls ws wss http https ' +
    'chair presenter screen share sharing laptop device devices mr mrs ms dr ' +
    'tandberg polycom cisco lifesize avaya zoom mozilla chrome firefox safari edge teams lync skype root mediasoup'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}]+/gu;
const KEY_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-') KEY_CHAR[c.charCodeAt(0)] = 1;
/** ASCII letters and digits (word characters of the sweep); non-ASCII is decided by IS_WORD_CHAR. */
const ALNUM = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') ALNUM[c.charCodeAt(0)] = 1;
const IS_WORD_CHAR = /[\p{L}\p{N}]/u;

const IPV4 = /(?<!\d\.|\d|[A-Za-z]\/)((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(?!\d|\.\d)/g;
const H = '[0-9A-Fa-f]{1,4}';
const IPV6 = new RegExp(`(?<![\\w:.])((?:${H}:){7}${H}|(?:${H}(?::${H})*)?::(?:${H}(?::${H})*)?)(?![\\w:])`, 'g');
/** H.225 decodes carry addresses as hex bytes: `ip: 0a 2e 0a 07`. */
const HEX_IP = /\b((?:ip|[A-Za-z]*network|[A-Za-z]*address)[ \t]*:[ \t]*)([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2})(?![ \t]?[0-9a-f]{2}\b|\w)/gi;

/** user@host in SIP/H.323/tel URIs and e-mail addresses. */
const USER_AT_HOST = /(?<![A-Za-z0-9._%+!~-])([A-Za-z0-9._%+!~-]{1,128})@(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)/g;
/** `sip:host` without a user part, and hosts in other URLs. */
const URI_HOST = /\b(?:(?:sips?|h323):|[a-z][a-z0-9+.-]*:\/\/)(?![^\s<>;"'^@]*@)([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/gi;
const QUOTED_NAME = /"((?:[^"\\^\n]|\\.){1,128})"\s*<(?=(?:sips?|tel|h323|mailto):)/gi;
const BARE_NAME = /(?<=(?:^|[:,]|\^M)[ \t]*)([^\s"<>:,;^][^"<>:,;^\n]{0,127}?)[ \t]*<(?=(?:sips?|tel|h323|mailto):)/gim;
/** Keys of H.323 aliases in H.225 decodes. */
const H323_KEYS = 'h323_ID|h323-ID|dialedDigits|url_ID|email_ID|partyNumber|e164';
/** Whether a text may hold an H.323 alias (one pass; cheaper than `includes` per key). */
const H323_KEY = new RegExp(H323_KEYS);
const H323_ALIAS = new RegExp(`\\b(${H323_KEYS})\\s*:[ \\t]*(?:\\^M|\\r?\\n)?[ \\t]*([^\\^\\n"]+)`, 'g');
const REST_ALIAS = /\/conferences\/([^/\s"^?#]+)/g;
/** A URL's query parameter (the policy server's `?remote_alias=sip%3Aalice%40example.com&…`): its value is read decoded, by its key. */
const QUERY_PARAM = /([?&])([A-Za-z][\w.-]{0,63})=([^&\s"#^]*)/g;
/** A query value decoded (`+` is a space), or null when it is not valid percent-encoding. */
function decodeQuery(v: string): string | null {
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}
const SDP_ORIGIN = /(?:^|\^M|\n)o=([^\s^]+) \d+ \d+ IN /g;
/** Payload header lines whose value is a correlation id. */
const ID_HEADER = /^\s*(?:call-id|i|replaces|in-reply-to|target-dialog|x-cisco-.*id)\s*:/i;

/** A decoded field or header line: `Key: value`. */
const KEY_VALUE = /^(\s*)([A-Za-z][\w.-]{0,63})(\s*:[ \t]?)(.*)$/;

const LINE_HEAD = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(?:Z|[+-]\d{2}:\d{2}) )(\S+)( \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} )/;

/** The memos keep short texts only, and at most so many of them. */
const MEMO_MAX_CHARS = 2048;
const MEMO_MAX_ENTRIES = 1 << 16;

/**
 * A copy of a text that does not hold on to the line it was cut from (V8 keeps a slice's whole
 * parent string alive; the concatenation is flattened into a string of its own by `slice`).
 */
function own(text: string): string {
  return text.length < 16 ? text : (' ' + text).slice(1);
}

function remember(set: Set<string>, text: string): void {
  if (set.size >= MEMO_MAX_ENTRIES) set.clear();
  set.add(own(text));
}

const baseName = (p: string): string => p.replace(/^.*[\\/]/, '');

function isWordAt(s: string, k: number): boolean {
  const c = s.charCodeAt(k);
  return c < 128 ? ALNUM[c] === 1 : IS_WORD_CHAR.test(s[k]!);
}

/** Cheap test before the IPv6 pattern: `::` or at least 7 colons. */
function mayHoldIpv6(s: string): boolean {
  if (s.includes('::')) return true;
  let n = 0;
  for (let k = s.indexOf(':'); k >= 0; k = s.indexOf(':', k + 1)) if (++n >= 7) return true;
  return false;
}

function looksLikeId(s: string): boolean {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(s)) return true;
  if (/^[0-9a-f]{12,}$/i.test(s)) return true;
  if (s.length >= 16 && !/[.\s]/.test(s) && (s.match(/\d/g)?.length ?? 0) >= 4 && /[a-z]/i.test(s)) return true;
  return false;
}

function isIp(s: string): boolean {
  IPV4.lastIndex = 0;
  IPV6.lastIndex = 0;
  const v4 = IPV4.exec(s);
  if (v4 && v4[0] === s) return true;
  const v6 = IPV6.exec(s);
  return !!v6 && v6[0] === s;
}

/** A second `Name` in a line (the scheduling service's VMR name), after the module's. */
const SECOND_NAME: { cls: Cls; kind: Kind | null } = { cls: 'free', kind: 'name' };

/** How a field's value is treated, by key (case-insensitive). */
const classified = new Map<string, { cls: Cls; kind: Kind | null }>();

function classify(key: string): { cls: Cls; kind: Kind | null } {
  let c = classified.get(key);
  if (!c) {
    c = classifyKey(key);
    if (classified.size < 10000) classified.set(key, c);
  }
  return c;
}

function classifyKey(key: string): { cls: Cls; kind: Kind | null } {
  const k = key.toLowerCase();
  if (k === 'level' || k === 'name') return { cls: 'keep', kind: null };
  if (k === 'h323_id' || k === 'h323-id' || k === 'url_id' || k === 'email_id') return { cls: 'free', kind: 'name' };
  if (k === 'call-id' || k === 'uuid' || k.endsWith('-id') || k.endsWith('id') || k === 'tag' || k === 'branch') return { cls: 'ids', kind: null };
  if (k.includes('conference') || k === 'service' || k === 'vmr') return { cls: 'free', kind: k.includes('alias') ? 'user' : 'conf' };
  if (k.includes('alias')) return { cls: 'free', kind: 'user' };
  if (k.includes('display') || k.includes('participant') || k.includes('email') || k === 'user' || k === 'username' || k === 'caller' || k === 'callee' || k === 'from' || k === 'to' || k === 'room' || k === 'subject' || k.includes('organizer'))
    return { cls: 'free', kind: 'name' };
  if (k.includes('address') || k.includes('host') || k === 'target') return { cls: 'free', kind: 'host' };
  return { cls: 'free', kind: null };
}

export interface RedactorStats {
  /** Distinct personal values replaced, by kind. */
  byKind: Record<Kind, number>;
}

export class Redactor {
  /** lower-cased original → stand-in */
  private readonly map = new Map<string, string>();
  /** Originals seen (lower-cased) and their kind, before a stand-in is allocated. */
  private readonly known = new Map<string, Kind>();
  private readonly standIns = new Set<string>();
  private readonly counters: Record<Kind, number> = { name: 0, user: 0, host: 0, conf: 0, ip4: 0, ip6: 0 };
  /** Sweep index: first word (lower) → learned phrases starting with it, longest first. */
  private readonly sweep = new Map<string, string[]>();
  /** Lengths of the sweep's first words (a cheap test before lower-casing a word). */
  private readonly firstLens = new Set<number>();
  /** Set by `learned()`: everything to be redacted was learned, redacting need not learn again. */
  private sealed = false;
  /**
   * Texts already learned from while no stand-in exists: learning is then a pure union of sets,
   * so a repeated text (most payload lines repeat within a call) adds nothing the second time.
   */
  private readonly learnedTexts = new Set<string>();
  /**
   * `free()` results while sealed, by class: a text's output no longer changes once its stand-ins
   * exist (nothing is learned any more, a mapped original is never handed out as a stand-in).
   */
  private readonly freed: Record<'free' | 'ids', Map<string, string>> = { free: new Map(), ids: new Map() };

  // ---------------------------------------------------------------- public API

  /** Learns the personal strings of one log line (or any text) without producing output. */
  learnLine(text: string): void {
    this.unseal();
    this.line(text, false);
  }

  /** Learns from any text: log lines, decoded payload lines, summaries. */
  learnText(s: string): void {
    this.unseal();
    this.learnH323(s);
    for (const l of s.split('\n')) this.line(l, false);
  }

  /**
   * Declares the learning pass complete (every text that will be redacted was learned), which
   * makes redacting several times faster. Learning again re-opens it.
   */
  learned(): void {
    this.sealed = true;
  }

  private unseal(): void {
    if (!this.sealed) return;
    this.sealed = false;
    this.freed.free.clear();
    this.freed.ids.clear();
  }

  /** Redacts one log line, field-aware; the result stays one line in the same layout. */
  redactLine(text: string): string {
    return this.line(text, true);
  }

  /** Redacts any text: each `\n`-separated line is treated as a log line when it is one. */
  redactText(s: string): string {
    if (!s) return s;
    if (s.indexOf('\n') < 0) return this.line(s, true);
    this.learnH323(s);
    return this.replaceH323(s)
      .split('\n')
      .map((l) => this.line(l, true))
      .join('\n');
  }

  /** Redacts the value of a field by its key (DisplayName, Participant, Call-Id, ...). */
  redactValue(key: string, value: string): string {
    const { cls, kind } = classify(key);
    if (cls === 'keep') return value;
    this.learnValue(value, cls, kind);
    return this.value(value, cls, kind);
  }

  /** Learns everything personal in a call trace (summary fields and every decoded line). */
  learnTrace(t: CallTrace): void {
    const c = t.call;
    this.redactValueLearn('DisplayName', c.displayName);
    this.redactValueLearn('Conference', c.conference);
    this.redactValueLearn('Participant', c.from);
    this.redactValueLearn('ConferenceAlias', c.to);
    this.redactValueLearn('Remote-Address', c.remote);
    for (const m of t.messages) {
      this.learnText(m.lines.join('\n'));
      this.learnText(m.summary);
    }
  }

  /**
   * A redacted copy of a call trace: every personal string in the summary, the message
   * summaries, endpoints and decoded lines replaced; ids keep their random parts; file names,
   * times, counts and structure unchanged. Call `learnTrace` on all traces first.
   */
  redactTrace(t: CallTrace): CallTrace {
    if (!this.sealed) this.learnTrace(t);
    const c = t.call;
    const opt = (key: string, v: string | null) => (v === null ? null : this.redactValue(key, v));
    const call: CallSummary = {
      ...c,
      id: this.free(c.id, 'ids'),
      ids: c.ids.map((x) => this.free(x, 'ids')),
      conference: opt('Conference', c.conference),
      conferenceId: c.conferenceId === null ? null : this.free(c.conferenceId, 'ids'),
      from: opt('Participant', c.from),
      to: opt('ConferenceAlias', c.to),
      displayName: opt('DisplayName', c.displayName),
      remote: opt('Remote-Address', c.remote),
      vendor: c.vendor === null ? null : this.redactText(c.vendor),
      signalingNode: opt('Signaling-Node', c.signalingNode),
      mediaNode: opt('Media-Node', c.mediaNode),
      failReason: c.failReason === null ? null : this.redactText(c.failReason),
      disconnectReason: c.disconnectReason === null ? null : this.redactText(c.disconnectReason),
      counts: { ...c.counts },
      // a warning ends with where it was seen, `(path:line)`: the file's name only, as for the messages' sources
      warnings: c.warnings.map((w) => this.redactText(w.replace(/\(([^()]*)(:\d+)\)$/, (_, path: string, line: string) => `(${baseName(path)}${line})`))),
    };
    const messages = t.messages.map((m): TraceMessage => {
      const lines = m.lines.join('\n');
      return {
        ...m,
        node: this.free(m.node, 'free'),
        src: m.src === null ? null : this.free(m.src, 'free'),
        dst: m.dst === null ? null : this.free(m.dst, 'free'),
        summary: this.redactText(m.summary),
        lines: lines ? this.redactText(lines).split('\n') : [],
        // file names only: a local path can name a person or a customer
        source: { ...m.source, file: baseName(m.source.file) },
        sources: m.sources.map((x) => ({ ...x, file: baseName(x.file) })),
        ...(m.sip ? { sip: { ...m.sip } } : {}),
      };
    });
    // the parties' registrations: their aliases and reasons as any text of the call
    const registrations = t.registrations?.map((m) => ({ ...m, alias: this.redactText(m.alias), reason: m.reason === null ? null : this.redactText(m.reason) }));
    // its audit lines: every text of them as any text of the call
    const text = (v: string | null) => (v === null ? null : this.redactText(v));
    const audit = t.audit?.map((e) => ({
      ...e,
      who: text(e.who), address: text(e.address), target: text(e.target), detail: text(e.detail), subject: this.redactText(e.subject),
      words: e.words.map((w) => this.redactText(w)), callId: text(e.callId),
    }));
    // what the rest of the bundle says of it: nodes, aliases, names, addresses, as any text of the call
    const restarts = t.restarts?.map((x) => ({ ...x, node: this.redactText(x.node) }));
    const alarms = t.alarms?.map((x) => ({ ...x, node: this.redactText(x.node), instance: text(x.instance) }));
    const contactLosses = t.contactLosses?.map((x) => ({ ...x, from: this.redactText(x.from), to: this.redactText(x.to), path: text(x.path) }));
    const dialOuts = t.dialOuts?.map((x) => ({
      ...x,
      node: this.redactText(x.node), alias: this.redactText(x.alias), conferenceAlias: text(x.conferenceAlias), displayName: text(x.displayName),
      call: x.call === null ? null : this.free(x.call, 'ids'), incoming: x.incoming === null ? null : this.free(x.incoming, 'ids'),
    }));
    const dnsLookups = t.dnsLookups?.map((x) => ({ ...x, node: this.redactText(x.node), target: this.redactText(x.target), result: text(x.result), failure: text(x.failure) }));
    const policy = t.policy?.map((x) => ({
      ...x,
      node: this.redactText(x.node), server: this.redactText(x.server), localAlias: text(x.localAlias), remoteAlias: text(x.remoteAlias), remoteAddress: text(x.remoteAddress), failure: text(x.failure),
    }));
    const localPolicy = t.localPolicy?.map((x) => ({ ...x, node: this.redactText(x.node), text: this.redactText(x.text) }));
    const quality = t.quality?.map((x) => ({ ...x, node: this.redactText(x.node) }));
    const rest = { restarts, alarms, contactLosses, dialOuts, dnsLookups, policy, localPolicy, quality };
    const said = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    return { ...t, call, messages, ...(registrations ? { registrations } : {}), ...(audit ? { audit } : {}), ...said, redacted: true };
  }

  private redactValueLearn(key: string, v: string | null): void {
    if (v === null) return;
    const { cls, kind } = classify(key);
    this.learnValue(v, cls, kind);
  }

  /** Number of distinct values replaced so far, by kind. */
  stats(): RedactorStats {
    return { byKind: { ...this.counters } };
  }

  /** The stand-in of an original value, if it was replaced. */
  standInOf(original: string): string | undefined {
    return this.map.get(original.toLowerCase());
  }

  // ---------------------------------------------------------------- lines

  private line(text: string, emit: boolean): string {
    if (text.endsWith('\r')) return this.line(text.slice(0, -1), emit) + '\r';
    const m = LINE_HEAD.exec(text);
    if (!m) {
      // not a log line: a decoded payload line (`Key: value`), a summary, or a damaged line
      const cls: Cls = ID_HEADER.test(text) ? 'ids' : 'free';
      const kv = cls === 'free' ? KEY_VALUE.exec(text) : null;
      if (kv) {
        const c = classify(kv[2]!);
        if (c.cls !== 'keep' && (c.kind || c.cls === 'ids')) {
          this.learnValue(kv[4]!, c.cls, c.kind);
          return emit ? kv[1]! + kv[2]! + kv[3]! + this.value(kv[4]!, c.cls, c.kind) : text;
        }
      }
      this.learnFree(text, cls);
      return emit ? this.free(text, cls) : text;
    }
    let out = emit ? m[1]! + this.free(m[2]!, 'free') + m[3]! : '';
    if (!emit) this.learnFree(m[2]!, 'free');
    let p = m[0].length;
    const n = text.length;
    // the line's first Name is its module; another (the scheduling service's VMR) is a name
    let names = 0;
    // Key="value" pairs, the way fields.ts reads them, keeping the exact spans
    while (p < n) {
      let q = p;
      while (q < n && text.charCodeAt(q) === 32) q++;
      const keyStart = q;
      while (q < n && KEY_CHAR[text.charCodeAt(q)] === 1) q++;
      if (q === keyStart || text.charCodeAt(q) !== 61 || text.charCodeAt(q + 1) !== 34) break;
      const key = text.slice(keyStart, q);
      const vStart = q + 2;
      const { cls, kind } = (key === 'Name' || key === 'name') && names++ > 0 ? SECOND_NAME : classify(key);
      if (text.startsWith('^M', vStart)) {
        const close = text.charCodeAt(n - 1) === 34 && n - 1 >= vStart ? n - 1 : n;
        const value = text.slice(vStart, close);
        if (cls !== 'keep') this.learnH323(value);
        const pieces = (emit && cls !== 'keep' ? this.replaceH323(value) : value).split('^M');
        for (const piece of pieces) this.learnFree(piece, ID_HEADER.test(piece) ? 'ids' : cls === 'keep' ? 'keep' : cls);
        if (emit) out += text.slice(p, vStart) + pieces.map((piece) => this.free(piece, ID_HEADER.test(piece) ? 'ids' : cls)).join('^M') + text.slice(close);
        p = n;
        break;
      }
      const { end: e, escaped } = scanQuoted(text, vStart);
      const vEnd = e < 0 ? n : e;
      const rawValue = text.slice(vStart, vEnd);
      const value = escaped ? unescapeValue(rawValue) : rawValue;
      this.learnValue(value, cls, kind);
      if (emit) {
        let red = cls === 'keep' ? value : this.value(value, cls, kind);
        if (red !== value) red = escaped || red.includes('"') ? red.replace(/(["\\])/g, '\\$1') : red;
        else red = rawValue;
        out += text.slice(p, vStart) + red + (e < 0 ? '' : '"');
      }
      p = e < 0 ? n : e + 1;
    }
    if (p < n) {
      // unparsable rest of the line
      const rest = text.slice(p);
      this.learnFree(rest, 'free');
      if (emit) out += this.free(rest, 'free');
    }
    return emit ? out : text;
  }

  // ---------------------------------------------------------------- learning

  private learnValue(value: string, cls: Cls, kind: Kind | null): void {
    if (cls === 'keep' || !value || this.sealed) return;
    this.learnFree(value, cls);
    if (cls !== 'free' || !kind) return;
    const v = value.trim();
    if (!v || v.toLowerCase() === 'none' || isIp(v) || /@|^(?:sips?|tel|h323|https?):/i.test(v)) return;
    if (kind === 'host') {
      if (/[A-Za-z]/.test(v) && /^[A-Za-z0-9.-]+$/.test(v) && v.includes('.')) this.learnHost(v);
      return;
    }
    this.learn(v, kind, true);
  }

  /** Pattern learning over free text (URIs, e-mail, quoted names, H.323 aliases, REST aliases). */
  private learnFree(text: string, cls: Cls): void {
    if (cls !== 'free' || !text || this.sealed) return;
    if (this.standIns.size === 0 && text.length <= MEMO_MAX_CHARS) {
      if (this.learnedTexts.has(text)) return;
      remember(this.learnedTexts, text);
    }
    if (text.includes('@')) {
      for (const m of text.matchAll(USER_AT_HOST)) {
        const user = m[1]!.replace(/^(?:sips?|tel|h323|mailto):/i, '');
        if (user && !looksLikeId(user) && !this.isStandIn(user)) this.learn(user, 'user', true);
        const host = m[2]!;
        if (!host.startsWith('[') && !isIp(host) && /[A-Za-z]/.test(host)) this.learnHost(host);
      }
    }
    if (text.includes(':')) {
      for (const m of text.matchAll(URI_HOST)) if (!isIp(m[1]!) && /[A-Za-z]/.test(m[1]!)) this.learnHost(m[1]!);
    }
    if (text.includes('<')) {
      for (const m of text.matchAll(QUOTED_NAME)) this.learn(m[1]!.replace(/\\(.)/g, '$1').trim(), 'name', true);
      for (const m of text.matchAll(BARE_NAME)) this.learn(m[1]!.trim(), 'name', true);
    }
    this.learnH323(text);
    if (text.includes('o=')) {
      // SDP origin: the user name of the sender (often a person's login)
      for (const m of text.matchAll(SDP_ORIGIN)) if (m[1] !== '-' && !STOP.has(m[1]!.toLowerCase()) && !looksLikeId(m[1]!) && !/^\d+$/.test(m[1]!)) this.learn(m[1]!, 'user', true);
    }
    if (text.includes('=') && (text.includes('?') || text.includes('&'))) {
      for (const m of text.matchAll(QUERY_PARAM)) {
        const v = decodeQuery(m[3]!);
        if (!v) continue;
        const c = classify(m[2]!);
        this.learnValue(v, c.cls, c.kind);
      }
    }
    if (text.includes('/conferences/')) {
      for (const m of text.matchAll(REST_ALIAS)) {
        let alias = m[1]!;
        try {
          alias = decodeURIComponent(alias);
        } catch {
          /* keep as is */
        }
        if (alias.includes('@') || alias.includes(':')) this.learnFree(alias, 'free');
        else if (!looksLikeId(alias)) this.learn(alias, 'user', true);
        if (alias !== m[1]) this.learn(m[1]!, 'user', false);
      }
    }
  }

  /** H.323 aliases: the value may sit on the next payload line (`h323_ID: ^M   Frank Room`). */
  private learnH323(text: string): void {
    if (this.sealed || !H323_KEY.test(text)) return;
    for (const m of text.matchAll(H323_ALIAS)) {
      const v = m[2]!.trim();
      if (!v || v === 'NULL' || isIp(v)) continue;
      if (v.includes('@') || v.includes(':')) this.learnFree(v, 'free');
      else this.learn(v, m[1] === 'dialedDigits' || m[1] === 'e164' || m[1] === 'partyNumber' ? 'user' : 'name', true);
    }
  }

  private learnHost(host: string): void {
    const h = host.replace(/\.$/, '');
    if (this.isStandIn(h)) return;
    this.learn(h, 'host', true);
    // the organisation's domain too, so other hosts of it (vcs.example.com) lose it as well
    const labels = h.split('.');
    if (labels.length > 2) {
      const n = labels.length >= 3 && labels[labels.length - 2]!.length <= 3 && labels[labels.length - 1]!.length === 2 ? 3 : 2;
      this.learn(labels.slice(-n).join('.'), 'host', true);
    }
  }

  /** Records an original; with `words`, also its words as separate sweep entries. */
  private learn(original: string, kind: Kind, words: boolean): void {
    const v = original.trim();
    if (!v) return;
    const lower = v.toLowerCase();
    if (this.isStandIn(lower)) return;
    if (!this.known.has(lower) && !this.map.has(lower)) {
      this.known.set(lower, kind);
      this.index(lower);
    } else if (kind === 'user' && this.known.get(lower) === 'name') this.known.set(lower, 'user'); // reads better in URIs
    if (words && (kind === 'name' || kind === 'conf' || kind === 'user')) {
      for (const w of v.match(WORD) ?? []) {
        const lw = w.toLowerCase();
        if (lw === lower || !this.sweepable(lw) || !/\p{L}/u.test(lw)) continue;
        if (!this.known.has(lw) && !this.map.has(lw)) {
          this.known.set(lw, kind === 'conf' ? 'name' : kind);
          this.index(lw);
        }
      }
    }
  }

  private sweepable(lower: string): boolean {
    if (lower.length < 3 || STOP.has(lower)) return false;
    if (/^\d+$/.test(lower)) return lower.length >= 7;
    if (looksLikeId(lower)) return false;
    return /[\p{L}\p{N}]/u.test(lower);
  }

  private index(lower: string): void {
    if (!this.sweepable(lower)) return;
    WORD.lastIndex = 0;
    const first = WORD.exec(lower);
    if (!first) return;
    // the phrase is matched from its first word on; leading punctuation stays in the text
    const phrase = lower.slice(first.index).replace(/[^\p{L}\p{N}]+$/u, '');
    if (!this.sweepable(phrase)) return;
    let list = this.sweep.get(first[0]);
    if (!list) this.sweep.set(first[0], (list = []));
    this.firstLens.add(first[0].length);
    if (list.includes(phrase)) return;
    list.push(phrase);
    list.sort((a, b) => b.length - a.length);
    if (phrase !== lower && !this.known.has(phrase) && !this.map.has(phrase)) this.known.set(phrase, this.known.get(lower) ?? 'name');
  }

  // ---------------------------------------------------------------- replacing

  private isStandIn(s: string): boolean {
    const lower = s.toLowerCase();
    return this.standIns.has(lower) && !this.known.has(lower) && !this.map.has(lower);
  }

  private standIn(original: string, kind: Kind): string {
    const lower = original.toLowerCase();
    const have = this.map.get(lower);
    if (have !== undefined) return have;
    const k = this.known.get(lower) ?? kind;
    let s: string;
    do s = this.make(k, ++this.counters[k]);
    while (this.known.has(s.toLowerCase()) || this.map.has(s.toLowerCase()));
    this.map.set(lower, s);
    this.known.delete(lower);
    this.standIns.add(s.toLowerCase());
    if (this.standIns.size === 1) this.learnedTexts.clear(); // no longer consulted
    return s;
  }

  private make(kind: Kind, n: number): string {
    switch (kind) {
      case 'name':
        return `Name-${n}`;
      case 'user':
        return `user-${n}`;
      case 'conf':
        return `VMR-${n}`;
      case 'host':
        return `host-${n}.invalid`;
      case 'ip4': {
        // documentation ranges first (RFC 5737), then the reserved 240/4
        if (n <= 254) return `192.0.2.${n}`;
        if (n <= 508) return `198.51.100.${n - 254}`;
        if (n <= 762) return `203.0.113.${n - 508}`;
        const m = n - 762;
        return `240.${(m >> 16) & 255}.${(m >> 8) & 255}.${(m & 255) || 1}`;
      }
      case 'ip6':
        return `2001:db8::${n.toString(16)}`;
    }
  }

  /** A field value: whole-value stand-in when the value itself was learned, else free text. */
  private value(value: string, cls: Cls, kind: Kind | null): string {
    if (cls === 'keep') return value;
    if (cls === 'free' && kind && kind !== 'host') {
      const v = value.trim();
      const lower = v.toLowerCase();
      if (v && (this.known.has(lower) || this.map.has(lower))) return value.replace(v, this.standIn(v, kind));
    }
    return this.free(value, cls);
  }

  private free(text: string, cls: Cls): string {
    if (cls === 'keep' || !text) return text;
    if (!this.sealed || text.length > MEMO_MAX_CHARS) return this.freeNow(text, cls);
    const memo = this.freed[cls];
    let out = memo.get(text);
    if (out === undefined) {
      out = this.freeNow(text, cls);
      if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
      const key = own(text);
      memo.set(key, out === text ? key : own(out));
    }
    return out;
  }

  private freeNow(text: string, cls: 'free' | 'ids'): string {
    this.learnFree(text, cls);
    let s = text;
    // a URL's query: each value decoded, redacted by its key, and encoded again
    if (s.includes('=') && (s.includes('?') || s.includes('&'))) {
      s = s.replace(QUERY_PARAM, (all, sep: string, key: string, raw: string) => {
        const v = decodeQuery(raw);
        const c = classify(key);
        if (!v || c.cls === 'keep') return all;
        const red = this.value(v, c.cls, c.kind);
        if (red === v) return all;
        return `${sep}${key}=${v === raw ? red : encodeURIComponent(red).replace(/%20/g, raw.includes('+') ? '+' : '%20')}`;
      });
    }
    if (s.includes(':')) {
      if (/(?:ip|network|address)[ \t]*:/i.test(s)) s = s.replace(HEX_IP, (all, pre: string, a: string, b: string, c: string, d: string) => {
        const ip = [a, b, c, d].map((x) => parseInt(x, 16)).join('.');
        if (this.keepIp(ip)) return all;
        const r = this.standIn(ip, 'ip4').split('.').map((x) => Number(x).toString(16).padStart(2, '0'));
        return pre + r.join(' ');
      });
      if (mayHoldIpv6(s)) s = s.replace(IPV6, (ip: string) => (this.keepIp6(ip) ? ip : this.standIn(ip, 'ip6')));
    }
    if (s.includes('.')) s = s.replace(IPV4, (ip: string) => (this.keepIp(ip) ? ip : this.standIn(ip, 'ip4')));
    // contexts where a learned value is replaced even when too short or too common to sweep
    if (s.includes('@')) s = s.replace(USER_AT_HOST, (all, user: string, host: string) => this.known.has(user.toLowerCase()) || this.map.has(user.toLowerCase()) ? this.standIn(user, 'user') + '@' + host : all);
    if (s.includes('/conferences/')) s = s.replace(REST_ALIAS, (all, alias: string) => (this.known.has(alias.toLowerCase()) || this.map.has(alias.toLowerCase()) ? '/conferences/' + this.standIn(alias, 'user') : all));
    if (cls === 'free') s = this.replaceH323(s);
    if (this.sweep.size) s = this.sweepText(s);
    return s;
  }

  private replaceH323(s: string): string {
    if (!H323_KEY.test(s)) return s;
    return s.replace(H323_ALIAS, (all, _k: string, v: string) => {
      const t = v.trim();
      if (!t || !(this.known.has(t.toLowerCase()) || this.map.has(t.toLowerCase()))) return all;
      return all.slice(0, all.length - v.length) + v.replace(t, this.standIn(t, 'name'));
    });
  }

  private keepIp(ip: string): boolean {
    return ip === '0.0.0.0' || ip === '255.255.255.255' || ip.startsWith('127.') || this.isStandIn(ip);
  }

  private keepIp6(ip: string): boolean {
    // `::` and `::1`, and things like `a::` that are too short to be addresses
    if (ip === '::' || ip === '::1' || ip.replace(/:/g, '').length < 2 || !/\d/.test(ip)) return true;
    return this.isStandIn(ip);
  }

  /** Replaces every learned phrase that starts at a word start and ends at a word end. */
  private sweepText(s: string): string {
    let out = '';
    let last = 0;
    const n = s.length;
    let p = 0;
    while (p < n) {
      // next word: [p, e)
      while (p < n && !isWordAt(s, p)) p++;
      if (p >= n) break;
      let e = p + 1;
      while (e < n && isWordAt(s, e)) e++;
      const list = this.firstLens.has(e - p) ? this.sweep.get(s.slice(p, e).toLowerCase()) : undefined;
      let next = e;
      if (list) {
        for (const phrase of list) {
          const end = p + phrase.length;
          if (end > n) continue;
          const cand = s.slice(p, end);
          if (cand.toLowerCase() !== phrase) continue;
          if (end < n && isWordAt(s, end)) continue;
          out += s.slice(last, p) + this.standIn(cand, this.known.get(phrase) ?? 'name');
          last = end;
          next = end;
          break;
        }
      }
      p = next;
    }
    return last === 0 ? s : out + s.slice(last);
  }

}
