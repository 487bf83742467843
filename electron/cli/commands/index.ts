/** Every CLI command, registered in one table: add a module here to add a command. */
import type { Command } from 'commander';
import { register as info } from './info.js';
import { register as lines } from './lines.js';

export const commands: Array<(program: Command) => void> = [info, lines];
