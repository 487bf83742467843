/**
 * A small CodeMirror StreamLanguage for decoded `^M` payloads: SIP start lines (method, URI,
 * status by class), header names, SDP `m=`/`a=`/`c=` lines after the blank line, and the
 * `name: ` elements of decoded H.323 / H.245 messages. Not a parser: colours only.
 */
import { StreamLanguage, HighlightStyle } from '@codemirror/language';
import type { StringStream } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

interface State {
  line: number;
  body: boolean;
  /** What the rest of the current line is. */
  mode: 'start' | 'header' | 'sdp' | 'plain' | null;
}

const METHOD = /^(INVITE|ACK|BYE|CANCEL|OPTIONS|REGISTER|PRACK|SUBSCRIBE|NOTIFY|PUBLISH|INFO|REFER|MESSAGE|UPDATE)\b/;

export const sipLanguage = StreamLanguage.define<State>({
  name: 'sip',
  startState: () => ({ line: 0, body: false, mode: null }),
  copyState: (s) => ({ ...s }),
  blankLine(s) {
    if (s.line > 0) s.body = true;
    s.line++;
  },
  token(stream: StringStream, s: State): string | null {
    if (stream.sol()) {
      const first = s.line === 0;
      s.line++;
      s.mode = null;
      if (first) {
        if (stream.match(METHOD)) {
          s.mode = 'start';
          return 'keyword';
        }
        if (stream.match(/^SIP\/2\.0 (?=\d)/)) {
          s.mode = 'start';
          return 'meta';
        }
      }
      if (s.body || /^[a-z]=/.test(stream.string)) {
        const m = stream.match(/^([a-z])=/) as RegExpMatchArray | null;
        if (m) {
          s.mode = 'sdp';
          return m[1] === 'm' ? 'keyword' : m[1] === 'a' ? 'attributeName' : 'typeName';
        }
      }
      if (!s.body && stream.match(/^[A-Za-z][\w-]*(?=\s*:)/)) {
        s.mode = 'header';
        return 'propertyName';
      }
      if (stream.match(/^\s+[\w-]+(?=: )/)) return 'propertyName'; // H.323 / H.245 element names
      s.mode = 'plain';
    }
    if (s.mode === 'start') {
      if (stream.match(/^\s*[1-6]\d\d\b/)) {
        const code = Number(stream.current().trim());
        return code >= 400 ? 'invalid' : code >= 200 ? 'number' : 'atom';
      }
      if (stream.match(/^\s*SIP\/2\.0/)) return 'meta';
      if (stream.match(/^\s*(sips?|tel):[^\s]+/)) return 'string';
      stream.next();
      return null;
    }
    if (s.mode === 'sdp') {
      if (stream.match(/^[\w-]+(?=:)/)) return 'attributeName';
      if (stream.match(/^\d+/)) return 'number';
      stream.next();
      return null;
    }
    if (stream.match(/^<[^>]*>/)) return 'string';
    if (stream.match(/^;[\w-]+(?==)/)) return 'attributeName';
    if (stream.match(/^"[^"]*"/)) return 'string';
    if (stream.match(/^:/)) return 'punctuation';
    stream.next();
    return null;
  },
});

export const sipHighlight = HighlightStyle.define([
  { tag: t.keyword, color: 'var(--cm-keyword)', fontWeight: '600' },
  { tag: t.meta, color: 'var(--cm-meta)' },
  { tag: t.propertyName, color: 'var(--cm-prop)' },
  { tag: t.attributeName, color: 'var(--cm-attr)' },
  { tag: t.typeName, color: 'var(--cm-type)' },
  { tag: t.string, color: 'var(--cm-string)' },
  { tag: t.number, color: 'var(--cm-ok)', fontWeight: '600' },
  { tag: t.atom, color: 'var(--cm-meta)', fontWeight: '600' },
  { tag: t.invalid, color: 'var(--err)', fontWeight: '600' },
  { tag: t.punctuation, color: 'var(--muted)' },
]);
