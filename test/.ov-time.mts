import { EngineApi } from '../electron/engine/api-impl.ts';
const api = new EngineApi(() => {});
await api.open({ paths: [process.argv[2]!] } as never);
for (let k = 0; k < 40 && !(await api.info())?.loaded; k++) await new Promise((r) => setTimeout(r, 500));
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  const o = await api.overview();
  console.log('overview', (performance.now() - t).toFixed(0), 'ms', o.activity.nodes.length, 'nodes', o.alarms.length, 'alarms');
}
const t = performance.now();
const l = await api.callLoad({ buckets: 300 });
console.log('callLoad (incl. calls)', (performance.now() - t).toFixed(0), 'ms peak', l.peak.calls);
const t2 = performance.now();
await api.callLoad({ buckets: 300 });
console.log('callLoad again', (performance.now() - t2).toFixed(0), 'ms');
process.exit(0);
