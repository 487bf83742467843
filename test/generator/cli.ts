// Usage: node --import tsx test/generator/cli.ts --out FILE [--size 200MB|1GB] [--calls N] [--seed N] [--crlf] [--no-damage] [--dial-outs] [--quality] [--policy] [--maintenance] [--provisioning] [--transfers] [--edges] [--service-tags] [--start ISO] [--truth truth.json]
import * as fs from 'node:fs';
import { writeLog } from './index.js';

export function parseSize(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g|kib|mib|gib)?\s*$/i.exec(s);
  if (!m) throw new Error(`bad size: ${s}`);
  const n = parseFloat(m[1]!);
  const u = (m[2] ?? 'b').toLowerCase();
  const mult = u.startsWith('k') ? 1024 : u.startsWith('m') ? 1024 ** 2 : u.startsWith('g') ? 1024 ** 3 : 1;
  return Math.round(n * mult);
}

async function main(argv: string[]): Promise<void> {
  const args: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2);
    if (['crlf', 'no-damage', 'dial-outs', 'quality', 'policy', 'maintenance', 'provisioning', 'transfers', 'edges', 'service-tags', 'help'].includes(key)) args[key] = true;
    else args[key] = argv[++i] ?? '';
  }
  if (args.help || typeof args.out !== 'string') {
    console.error('usage: cli.ts --out FILE [--size 200MB|1GB] [--calls N] [--seed N] [--crlf] [--no-damage] [--dial-outs] [--quality] [--policy] [--maintenance] [--provisioning] [--transfers] [--edges] [--service-tags] [--start ISO] [--truth truth.json]');
    process.exit(args.help ? 0 : 2);
  }
  const t = Date.now();
  const truth = await writeLog(args.out, {
    seed: args.seed ? Number(args.seed) : 1,
    targetBytes: typeof args.size === 'string' ? parseSize(args.size) : undefined,
    calls: typeof args.calls === 'string' ? Number(args.calls) : undefined,
    crlf: !!args.crlf,
    damaged: !args['no-damage'],
    dialOuts: !!args['dial-outs'],
    quality: !!args.quality,
    policy: !!args.policy,
    maintenance: !!args.maintenance,
    provisioning: !!args.provisioning,
    transfers: !!args.transfers,
    edges: !!args.edges,
    serviceTags: !!args['service-tags'],
    startTime: typeof args.start === 'string' ? args.start : undefined,
  });
  const secs = (Date.now() - t) / 1000;
  if (typeof args.truth === 'string') fs.writeFileSync(args.truth, JSON.stringify(truth));
  console.error(`wrote ${args.out}: ${truth.bytes} bytes, ${truth.lines} lines, ${truth.calls.length} calls in ${secs.toFixed(1)} s (${(truth.bytes / 1048576 / secs).toFixed(0)} MB/s)`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
