/**
 * Call reports: HTML (one self-contained file: inline CSS and SVG, no script, nothing loaded
 * from anywhere), JSON (the `pexlens trace --json` shape) and text (a per-call summary in the
 * spirit of Pexip's logreader, then the flow and every message decoded).
 */
import type { CallSummary, CallTrace, TraceMessage } from '../../api.js';
import { sipSeen } from '../../shared/call-text.js';
import { esc } from './html-escape.js';
import { ladderSvg, PROTOCOL_COLOURS } from './ladder.js';
import type { Sink } from './sink.js';

export interface ReportContext {
  /** Input files (display names) the calls come from. */
  sources: string[];
  generated: string;
  version: string;
  redacted: boolean;
}

export const REDACTION_NOTE =
  'REDACTED: display names, aliases/URIs, user parts, host names, IP and e-mail addresses are replaced by consistent pseudonyms (the same value always has the same stand-in); correlation ids are kept.';

function duration(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h ? `${h}h ` : ''}${m ? `${m}m ` : ''}${s % 60}s (${(ms / 1000).toFixed(3)} s)`;
}

function result(c: CallSummary): string {
  if (c.failed) return `FAILED${c.failReason ? `: ${c.failReason}` : ''}`;
  return c.disconnectReason ? `ended: ${c.disconnectReason}` : c.end ? 'ended' : 'connected (no end seen)';
}

function counts(c: CallSummary): string {
  const parts = Object.entries(c.counts)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k.toUpperCase()} ${v}`);
  return parts.join(', ') || '-';
}

/** Label/value rows of a call summary, shared by the HTML and text reports. */
export function summaryRows(c: CallSummary): Array<[string, string]> {
  const seen = sipSeen(c);
  return [
    ['Call', c.id],
    ['Protocol', c.protocol],
    ['Start', c.start ?? '-'],
    ['End', c.end ?? '-'],
    ['Duration', duration(c.durationMs)],
    ['From', c.from ?? '-'],
    ['Display name', c.displayName ?? '-'],
    ['To', c.to ?? '-'],
    ['Conference', `${c.conference ?? '-'}${c.conferenceId ? ` [${c.conferenceId}]` : ''}`],
    ['Remote', c.remote ?? '-'],
    ['Vendor', c.vendor ?? '-'],
    ['Signaling node', c.signalingNode ?? '-'],
    ['Media node', c.mediaNode ?? '-'],
    ['Result', result(c)],
    ['Messages', counts(c)],
    ...(seen ? [['SIP seen', seen] as [string, string]] : []),
    ['Ids', c.ids.join(', ')],
  ];
}

// ------------------------------------------------------------------------------------ HTML

const CSS = `
:root{--fg:#1d232b;--muted:#5d6875;--line:#d5dbe2;--bg:#fff;--soft:#f4f6f9}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;padding-top:12px;border-top:2px solid var(--line)}
h3{font-size:15px;margin:20px 0 8px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.meta{color:var(--muted);margin:0}
.redacted{margin:12px 0;padding:8px 12px;border-left:4px solid #c0392b;background:#fdf0ee;font-weight:600}
table.summary{border-collapse:collapse;min-width:520px}
table.summary th{text-align:left;font-weight:600;color:var(--muted);padding:3px 16px 3px 0;vertical-align:top;white-space:nowrap}
table.summary td{padding:3px 0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;word-break:break-all}
.failed{color:#b3261e;font-weight:600}
ul.warn{margin:8px 0;padding-left:20px;color:#8a5a00}
.legend span{display:inline-block;margin-right:14px;font-size:12px}
.legend i{display:inline-block;width:18px;height:4px;margin-right:5px;vertical-align:middle}
.ladderbox{overflow-x:auto;border:1px solid var(--line);border-radius:6px;background:#fcfdfe;padding:6px}
svg.ladder text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
svg.ladder .lanehead{fill:#eef2f7;stroke:#b8c3d0}
svg.ladder .lanehost{font-weight:600;fill:#1d232b}
svg.ladder .lanerole{font-size:11px;fill:#5d6875}
svg.ladder .lifeline{stroke:#b8c3d0;stroke-dasharray:4 4}
svg.ladder .time{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px;fill:#1d232b}
svg.ladder .delta{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:10px;fill:#8a94a0}
svg.ladder .label{font-size:11.5px}
.msg{border:1px solid var(--line);border-left-width:5px;border-radius:4px;margin:8px 0;background:var(--bg)}
.msg .mh{padding:5px 10px;background:var(--soft);font-size:13px;display:flex;flex-wrap:wrap;gap:4px 14px}
.msg .mh .n{font-weight:700}.msg .mh .sum{font-weight:600}.msg .mh .src{color:var(--muted);margin-left:auto}
.msg pre{margin:0;padding:6px 10px;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-all}
.missing{color:#b3261e;font-weight:600}
footer{margin-top:32px;color:var(--muted);font-size:12px}
`;

export async function writeHtml(traces: CallTrace[], ctx: ReportContext, sink: Sink, onMessage: () => void): Promise<void> {
  const title = traces.length === 1 ? `Call report ${traces[0]!.call.id}` : `Call report: ${traces.length} calls`;
  await sink.write(
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
      `<meta name="generator" content="pexlens ${esc(ctx.version)}">\n<title>${esc(title)}</title>\n<style>${CSS}</style>\n</head>\n<body>\n` +
      `<header>\n<h1>${esc(title)}</h1>\n<p class="meta">Generated by pexlens ${esc(ctx.version)} on ${esc(ctx.generated)} from ${esc(ctx.sources.join(', ') || '-')}</p>\n` +
      (ctx.redacted ? `<p class="redacted" id="redacted">${esc(REDACTION_NOTE)}</p>\n` : '') +
      `</header>\n`,
  );
  if (traces.length > 1) {
    await sink.write('<h3>Calls</h3>\n<ol class="calls">\n');
    for (const t of traces) await sink.write(`<li>${esc(`${t.call.protocol} ${t.call.from ?? '?'} → ${t.call.to ?? '?'} (${t.call.start ?? '-'}) ${t.call.id}`)}</li>\n`);
    await sink.write('</ol>\n');
  }
  for (const [k, t] of traces.entries()) {
    const c = t.call;
    await sink.write(`<section class="call">\n<h2>${traces.length > 1 ? `${k + 1}. ` : ''}${esc(`${c.protocol} call ${c.from ?? '?'} → ${c.to ?? '?'}`)}</h2>\n<table class="summary">\n`);
    for (const [label, value] of summaryRows(c)) {
      const cls = label === 'Result' && c.failed ? ' class="failed"' : '';
      await sink.write(`<tr><th>${esc(label)}</th><td${cls}>${esc(value)}</td></tr>\n`);
    }
    await sink.write('</table>\n');
    if (c.warnings.length) await sink.write(`<ul class="warn">${c.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>\n`);
    const used = [...new Set(t.messages.map((m) => m.protocol))];
    await sink.write(
      `<h3>Ladder diagram</h3>\n<p class="legend">${used.map((p) => `<span><i style="background:${PROTOCOL_COLOURS[p]}"></i>${esc(p.toUpperCase())}</span>`).join('')}</p>\n` +
        `<div class="ladderbox">\n${ladderSvg(t)}\n</div>\n<h3>Messages (${t.messages.length})</h3>\n`,
    );
    for (const [r, m] of t.messages.entries()) {
      await sink.write(htmlMessage(m, r));
      onMessage();
    }
    await sink.write('</section>\n');
  }
  await sink.write(`<footer>${ctx.redacted ? 'Redacted report. ' : ''}Times are syslog times (UTC) as received by the Management Node; originating times are per node.</footer>\n</body>\n</html>\n`);
}

function htmlMessage(m: TraceMessage, r: number): string {
  const colour = PROTOCOL_COLOURS[m.protocol] ?? '#555';
  const dir = m.direction === 'in' ? '← in' : m.direction === 'out' ? '→ out' : '';
  const ends = m.src || m.dst ? `${m.src ?? '?'} → ${m.dst ?? '?'}` : '';
  const sources = m.sources.length > 1 ? `${m.source.file}:${m.sources.map((s) => s.line).join(',')}` : `${m.source.file}:${m.source.line}`;
  const missing = m.fragments?.missing.length ? `<span class="missing">missing fragment(s) ${m.fragments.missing.join(', ')} of ${m.fragments.total}</span>` : '';
  return (
    `<div class="msg" style="border-left-color:${colour}"><div class="mh"><span class="n">#${r + 1}</span><span>${esc(m.time)}</span>` +
    `<span>${esc(m.node)}</span><span style="color:${colour};font-weight:700">${esc(m.protocol.toUpperCase())}</span><span>${esc(dir)}</span>` +
    `<span class="sum">${esc(m.summary)}</span><span>${esc(ends)}</span>${missing}<span class="src">${esc(sources)}</span></div>` +
    (m.lines.length ? `<pre>${esc(m.lines.join('\n'))}</pre>` : '') +
    `</div>\n`
  );
}

// ------------------------------------------------------------------------------------ JSON

/** One call: exactly the `pexlens trace --json` object; several: an array of them. */
export async function writeJson(traces: CallTrace[], ctx: ReportContext, sink: Sink, onMessage: () => void): Promise<void> {
  const one = (t: CallTrace) => (ctx.redacted ? { ...t, redacted: true } : t);
  if (traces.length === 1) {
    await sink.write(JSON.stringify(one(traces[0]!), null, 1) + '\n');
    for (const _ of traces[0]!.messages) onMessage();
    return;
  }
  await sink.write('[\n');
  for (const [k, t] of traces.entries()) {
    await sink.write((k ? ',\n' : '') + JSON.stringify(one(t), null, 1));
    for (const _ of t.messages) onMessage();
  }
  await sink.write('\n]\n');
}

// ------------------------------------------------------------------------------------ text

const arrow = (m: TraceMessage) => (m.direction === 'in' ? '<--' : m.direction === 'out' ? '-->' : '   ');

export async function writeTextReport(traces: CallTrace[], ctx: ReportContext, sink: Sink, onMessage: () => void): Promise<void> {
  const rule = '='.repeat(78);
  let head = `pexlens call report (pexlens ${ctx.version}, ${ctx.generated})\nSource: ${ctx.sources.join(', ') || '-'}\n`;
  if (ctx.redacted) head += `${REDACTION_NOTE}\n`;
  await sink.write(head + `${traces.length} call(s)\n`);
  for (const [k, t] of traces.entries()) {
    const c = t.call;
    let s = `\n${rule}\nCall ${k + 1} of ${traces.length}: ${c.protocol} ${c.from ?? '?'} -> ${c.to ?? '?'}\n${rule}\n`;
    for (const [label, value] of summaryRows(c)) s += `  ${(label + ' ').padEnd(16, '.')} ${value}\n`;
    for (const w of c.warnings) s += `  WARNING: ${w}\n`;
    s += `\n  Flow (${t.messages.length} messages):\n`;
    for (const [r, m] of t.messages.entries()) {
      const ends = m.src || m.dst ? `  ${m.src ?? '?'} -> ${m.dst ?? '?'}` : '';
      s += `  ${String(r + 1).padStart(4)}  ${m.time.slice(11, 23)}  ${m.protocol.toUpperCase().padEnd(5)} ${arrow(m)} ${m.summary}${ends}\n`;
    }
    s += `\n  Messages:\n`;
    await sink.write(s);
    for (const [r, m] of t.messages.entries()) {
      const ends = m.src || m.dst ? ` ${m.src ?? '?'} -> ${m.dst ?? '?'}` : '';
      let b = `\n  #${r + 1} ${m.time} ${m.node} ${m.protocol.toUpperCase()} ${arrow(m).trim()} ${m.summary}${ends}  [${m.source.file}:${m.sources.map((x) => x.line).join(',')}]\n`;
      if (m.fragments?.missing.length) b += `      (missing fragment(s) ${m.fragments.missing.join(', ')} of ${m.fragments.total})\n`;
      for (const l of m.lines) b += `      ${l}\n`;
      await sink.write(b);
      onMessage();
    }
  }
}
