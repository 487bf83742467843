/** Every CLI command, registered in one table: add a module here to add a command. */
import type { Command } from 'commander';
import { register as serve } from './serve.js';
import { register as info } from './info.js';
import { register as lines } from './lines.js';
import { register as calls } from './calls.js';
import { register as trace } from './trace.js';
import { register as exportCmd } from './export.js';
import { register as search } from './search.js';
import { register as cache } from './cache.js';

export const commands: Array<(program: Command) => void> = [info, lines, calls, trace, exportCmd, search, cache, serve];
