import { openBundle } from '../electron/engine/session.ts';
import { nodeActivity } from '../electron/engine/lines/node-activity.ts';
import { alarmSpansAt } from '../electron/engine/correlate/alarms.ts';
import { countFacets } from '../electron/engine/lines/facets.ts';
import { summarize } from '../electron/engine/lines/summary.ts';
const s = await openBundle([process.argv[2]!]);
const store = s.store;
const time = (name: string, f: () => unknown) => { const t = performance.now(); f(); console.log(name, (performance.now() - t).toFixed(0), 'ms'); };
for (let k = 0; k < 2; k++) {
  time('activity', () => nodeActivity(store, 300));
  time('alarms', () => alarmSpansAt(store));
  time('facets', () => countFacets(store, (visit) => { for (let i = 0; i < store.count; i++) visit(i); }));
  time('summary', () => summarize(store));
}
