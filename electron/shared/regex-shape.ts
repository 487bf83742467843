/**
 * What a user's regular expression looks like, read with regjsparser: whether it repeats a group
 * that itself repeats or alternates (the shape that can backtrack exponentially), and the same
 * pattern with its case-insensitivity spelled out as character classes. Plain code: the engine
 * and the renderer both use it.
 */
import regjsparser from 'regjsparser';
import type { AstNode, CharacterClass, RootNode } from 'regjsparser';

/** What regjsparser is asked to read: the syntax V8 takes (named groups, lookbehind, u and v mode). */
const FEATURES = { namedGroups: true, lookbehind: true, unicodePropertyEscape: true, unicodeSet: true } as const;
type Features = typeof FEATURES;
type Node = AstNode<Features>;

function tree(source: string, flags: string): RootNode<Features> | null {
  // u and v patterns are read in their own mode (\p{…}, class sets); both are syntax the others refuse
  const mode = flags.includes('v') ? 'v' : flags.includes('u') ? 'u' : '';
  try {
    return regjsparser.parse(source, mode, FEATURES);
  } catch {
    return null; // syntax V8 accepts and regjsparser does not (Annex B corners): treated as unknown
  }
}

function children(n: Node): Node[] {
  switch (n.type) {
    case 'alternative':
    case 'disjunction':
    case 'group':
    case 'quantifier':
      return n.body as Node[];
    default:
      return [];
  }
}

function some(n: Node, p: (n: Node) => boolean): boolean {
  return p(n) || children(n).some((c) => some(c, p));
}

/**
 * True when a repeated part of the pattern holds another repetition or an alternation, as in
 * `(\w+\s?)*x` or `(a|aa)+b`: such a pattern can take exponential time on one line. Also true
 * for a pattern that cannot be read here, to be safe.
 */
export function nestedRepetition(source: string, flags: string): boolean {
  const root = tree(source, flags);
  if (!root) return true;
  const repeats = (n: Node) => n.type === 'quantifier' && (n.max === undefined || n.max > 1);
  return some(root as Node, (n) => repeats(n) && children(n).some((c) => some(c, (d) => repeats(d) || d.type === 'disjunction')));
}

/** The code units that match `c` under the i flag without u: those with the same canonical form. */
let caseClasses: Map<number, number[]> | null = null;

/** ECMAScript's Canonicalize for a non-unicode, case-insensitive pattern (one code unit). */
function canonicalize(c: number): number {
  const upper = String.fromCharCode(c).toUpperCase();
  if (upper.length !== 1) return c;
  const u = upper.charCodeAt(0);
  return c >= 128 && u < 128 ? c : u;
}

function caseClass(c: number): number[] {
  if (!caseClasses) {
    const byCanon = new Map<number, number[]>();
    for (let d = 0; d < 0x10000; d++) {
      const k = canonicalize(d);
      const list = byCanon.get(k);
      if (list) list.push(d);
      else byCanon.set(k, [d]);
    }
    caseClasses = new Map();
    for (const list of byCanon.values()) {
      if (list.length < 2) continue;
      for (const d of list) caseClasses.set(d, list);
    }
  }
  return caseClasses.get(c) ?? [c];
}

/** One code unit inside a class: letters and digits as themselves, anything else escaped. */
const unit = (c: number) => (/[0-9A-Za-z]/.test(String.fromCharCode(c)) ? String.fromCharCode(c) : `\\u${c.toString(16).padStart(4, '0')}`);

/** A character class of the given code units, as ranges. */
function classText(units: Iterable<number>, negative: boolean, verbatim: string[]): string {
  const sorted = [...new Set(units)].sort((a, b) => a - b);
  let out = negative ? '[^' : '[';
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out += j > i ? `${unit(sorted[i]!)}-${unit(sorted[j]!)}` : unit(sorted[i]!);
    i = j + 1;
  }
  return out + verbatim.join('') + ']';
}

/**
 * A class's members closed under case, or null when no member has another case. For a negated
 * class too: under i, `[^S]` matches what `[^closure(S)]` matches without it.
 */
function classWithCases(n: CharacterClass<Features>): string | null {
  const units: number[] = [];
  const verbatim: string[] = [];
  let changed = false;
  for (const m of n.body) {
    if (m.type === 'value' || m.type === 'characterClassRange') {
      const [lo, hi] = m.type === 'value' ? [m.codePoint, m.codePoint] : [m.min.codePoint, m.max.codePoint];
      for (let c = lo; c <= hi; c++) {
        const cls = caseClass(c);
        if (cls.length > 1) changed = true;
        units.push(...cls);
      }
    } else if (m.type === 'characterClassEscape') {
      // \w \d \s and their negations hold whole case classes when u is off: kept as written
      verbatim.push(m.raw);
    } else throw new Error(`unexpected ${m.type} in a class`); // u/v patterns are not read here
  }
  return changed ? classText(units, n.negative, verbatim) : null;
}

/**
 * The pattern with every cased letter written as the class of its cases (`call-id` as
 * `[Cc][Aa][Ll][Ll]-[Ii][Dd]`), to be run without the i flag: the same lines match. Null when the
 * pattern cannot be rewritten exactly (back references compare case-insensitively under i; u/v
 * patterns follow other case rules; syntax that cannot be read here).
 */
export function caseExplicit(source: string, flags: string): string | null {
  const root = /[uv]/.test(flags) ? null : tree(source, flags);
  if (!root || some(root as Node, (n) => n.type === 'reference')) return null;
  const edits: Array<{ from: number; to: number; text: string }> = [];
  const visit = (n: Node) => {
    if (n.type === 'value') {
      const cls = caseClass(n.codePoint);
      if (cls.length > 1) edits.push({ from: n.range[0], to: n.range[1], text: classText(cls, false, []) });
    } else if (n.type === 'characterClass') {
      const text = classWithCases(n);
      if (text) edits.push({ from: n.range[0], to: n.range[1], text });
    } else children(n).forEach(visit);
  };
  try {
    visit(root as Node);
  } catch {
    return null;
  }
  let out = source;
  for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}
