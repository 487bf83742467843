/** The `pexlens` command line, over the same engine as the app. */
import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import { version } from './version.js';

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program.name('pexlens').description('Read Pexip Infinity support logs and snapshots: find calls, trace signaling, export excerpts.').version(version);
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  // only the command being run is loaded; help and unknown words get them all
  const named = argv.find((a) => !a.startsWith('-'));
  const wanted = named !== undefined && named in commands ? [commands[named]!] : Object.values(commands);
  for (const mod of await Promise.all(wanted.map((load) => load()))) mod.register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    // a command's own status (search: 1 when nothing matched)
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // `-word` / `-level:INFO` excludes in a query, but reads as an option here
      const opt = e.code === 'commander.unknownOption' ? /'(-[^-][^']+)'/.exec(e.message)?.[1] : undefined;
      if (opt) process.stderr.write(`(a query that starts with '-' goes after '--': pexlens search <path...> -- '${opt}')\n`);
      return e.exitCode;
    }
    const msg = (e as Error).message ?? String(e);
    process.stderr.write(`pexlens: ${msg.split('\n')[0]}\n`);
    if (process.env.PEXLENS_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
}

// benchmarks read the peak memory of a CLI run from here
if (process.env.PEXLENS_REPORT_RSS) process.on('exit', () => process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\n`));

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
