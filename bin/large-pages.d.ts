/** Types of large-pages.js (plain JavaScript: the launchers run it before any build). */
export function largePagesEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function relaunchWithLargePages(worthIt?: () => boolean): Promise<never> | undefined;
