/**
 * A call's trace with its parties' registrations when it started and the audit lines that name it
 * (the engine's callTrace adds its nodes' restarts, alarms and dial-outs): what the reports and
 * `pexlens trace` give, for views that want it whole at once (the comparison of two calls).
 */
import type { CallTrace, RegistrationMoment } from '../../../electron/api.js';
import { callParties } from '../../../electron/shared/registration-words.js';
import { call } from '../lib/api.js';

export async function traceInContext(id: string): Promise<CallTrace | null> {
  const t = await call('callTrace', { id });
  if (!t) return null;
  const aliases = callParties(t.call);
  const [regs, audit] = await Promise.all([
    t.call.start && aliases.length ? call('registrationAt', { aliases, time: t.call.start }) : Promise.resolve([]),
    call('auditEvents', { callIds: t.call.ids }),
  ]);
  return { ...t, registrations: regs.filter((m): m is RegistrationMoment => m !== null), audit };
}
