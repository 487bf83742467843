/**
 * Every CLI command, in one table: add a line here to add a command. Modules load on demand, so
 * a run loads only its own command's engine parts (less start-up time and memory).
 */
import type { Command } from 'commander';

type CommandModule = { register(program: Command): void };

export const commands: Record<string, () => Promise<CommandModule>> = {
  info: () => import('./info.js'),
  lines: () => import('./lines.js'),
  calls: () => import('./calls.js'),
  trace: () => import('./trace.js'),
  compare: () => import('./compare.js'),
  registrations: () => import('./registrations.js'),
  audit: () => import('./audit.js'),
  timeline: () => import('./timeline.js'),
  conference: () => import('./conference.js'),
  search: () => import('./search.js'),
  export: () => import('./export.js'),
  serve: () => import('./serve.js'),
  cache: () => import('./cache.js'),
};
