// Pools of names, vendors, services and nodes. Everything personal is drawn from here.
import type { Rng } from './prng.js';

export interface NodeDef {
  host: string;
  ip: string;
  location: string;
  mgmt: boolean;
  /** originating clock minus true time, ms (±1500) */
  skew: number;
  /** base network delay to the management node, ms */
  delay: number;
}

export const NODE_DEFS: readonly (readonly [string, string, string, boolean])[] = [
  ['pxmgr01', '10.44.99.1', 'London', true],
  ['pxnode-lon-01', '10.44.99.2', 'London', false],
  ['pxnode-lon-02', '10.44.99.3', 'London', false],
  ['pxnode-osl-01', '10.46.10.7', 'Oslo', false],
  ['pxnode-nyc-01', '10.52.8.21', 'New York', false],
];

/** Proxying Edge Nodes (GenOptions.edges): host, address, location. They log nothing of their own here. */
export const EDGE_DEFS: readonly (readonly [string, string, string])[] = [
  ['pxedge-lon-01', '10.60.1.5', 'London Edge'],
  ['pxedge-osl-01', '10.60.2.5', 'Oslo Edge'],
];

/** Infrastructure (not personal) */
export const GATEKEEPER_IP = '10.48.0.10';
export const VCS_IP = '10.48.0.20';
export const ADMIN_WS_IP = '10.44.1.50';

const FIRST = [
  'Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy', 'Mallory', 'Niaj',
  'Olivia', 'Peggy', 'Rupert', 'Sybil', 'Trent', 'Victor', 'Walter', 'Yvonne', 'Jürgen', 'Åsa', 'Søren',
  'José', 'François', 'Siobhán', 'Zoë', 'Ingrid', 'Mateusz', 'Priya', 'Kenji', 'Fatima', 'Oluwaseun',
  'Margaret', 'Henrik', 'Lucía', 'Dmitri', 'Chiara', 'Thandiwe', 'Benedikt',
];
const LAST = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Wilson', 'Evans', 'Thomas', 'Johnson', 'Roberts', 'Walker',
  'Müller', 'Lindqvist', 'Dahl', 'García', 'Dubois', "O'Neill", 'Nakamura', 'Haddad', 'Okafor', 'Kowalski',
  'Berg', 'Rossi', 'Ivanova', 'Sharma', 'Andersen', 'Moreau', 'Fischer', 'Hansen', 'Novak', 'Petrov',
];
const NICK = ['Bobby', 'Ops', 'Boss', 'Doc', 'Room 4', 'Chief'];

const DOMAINS = ['example.com', 'example.com', 'example.com', 'partner.example.net'];

/**
 * The generator works on "byte strings": every char is one byte of the UTF-8 output (written with
 * 'latin1' encoding, which is a plain copy). enc8 turns text into such a string, dec8 back.
 */
export const enc8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
export const dec8 = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');

export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '').toLowerCase();
}

export interface Person {
  first: string;
  last: string;
  /** Display name as the endpoint sends it (may contain `"`). */
  display: string;
  user: string;
  domain: string;
  uri: string; // sip:user@domain
  email: string; // user@domain
  ip: string; // endpoint IP (10.47.x.y)
  webIp: string; // browser IP (172.20.x.y)
  sipVendor: string;
  h323Vendor: string;
}

export const SIP_VENDORS = [
  'TANDBERG/529 (ce9.15.3.17)', 'Pexip Infinity Connect/1.8.0', 'Polycom/6.4.3.6 PolycomRealPresenceGroup/6.4.3.6',
  'LifeSize Icon_600/LS_RM3_3.7.2 (15)', 'Zoom Rooms 5.17', 'Cisco-SIPGateway/IOS-15.x', 'Avaya one-X Deskphone',
  'TANDBERG/4352 (X14.3.2)',
];
export const H323_VENDORS = ['(181,0,1) (TANDBERG) (Codec)', '(181,0,8) (Polycom) (HDX 9000)', '(38,0,21) (LifeSize) (Icon 800)'];
export const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0) Chrome/131.0', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/17.5',
  'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0', 'Pexip Infinity Connect/2.1 (Electron)',
];

export function makePeople(rng: Rng, n: number): Person[] {
  const out: Person[] = [];
  const seenUser = new Set<string>();
  const seenIp = new Set<string>();
  let guard = 0;
  while (out.length < n && guard++ < n * 50) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const user = fold(first) + '.' + fold(last);
    if (seenUser.has(user)) continue;
    seenUser.add(user);
    let ip: string;
    do ip = `10.47.${rng.int(256)}.${rng.range(100, 254)}`;
    while (seenIp.has(ip));
    seenIp.add(ip);
    let webIp: string;
    do webIp = `172.20.${rng.int(256)}.${rng.range(100, 254)}`;
    while (seenIp.has(webIp));
    seenIp.add(webIp);
    const display = rng.chance(0.06) ? `${first} "${rng.pick(NICK)}" ${last}` : `${first} ${last}`;
    const domain = rng.pick(DOMAINS);
    out.push({
      first: enc8(first), last: enc8(last), display: enc8(display), user, domain,
      uri: `sip:${user}@${domain}`, email: `${user}@${domain}`, ip, webIp,
      sipVendor: rng.pick(SIP_VENDORS), h323Vendor: rng.pick(H323_VENDORS),
    });
  }
  return out;
}

export interface Service {
  name: string; // Conference="..."
  short: string; // alias without domain, used by WebRTC and H.323
  numeric: string; // E.164-ish alias used by H.323 sometimes
  owner: Person | null; // personal VMR owner (name and user part appear in the service name/alias)
}

/**
 * The tenant's Service-Tag of a service (GenOptions.serviceTags), from its name alone (no PRNG, so a
 * seed's calls stay as they were): a quarter untagged, the rest one of three tenants.
 */
export function serviceTagOf(name: string): string {
  let h = 2166136261;
  for (let k = 0; k < name.length; k++) h = Math.imul(h ^ name.charCodeAt(k), 16777619) >>> 0;
  return ['', 'tenant-acme', 'tenant-globex', 'tenant-initech'][h % 4]!;
}

const FIXED_SERVICES = ['board', 'allhands', 'sales', 'helpdesk', 'eng-weekly', 'training', 'support.desk', 'ops-bridge', 'town-hall', 'design-review'];

export function makeServices(rng: Rng, people: Person[]): Service[] {
  const out: Service[] = [];
  let num = 7001;
  for (const s of FIXED_SERVICES) out.push({ name: s, short: s, numeric: String(num++), owner: null });
  for (let i = 0; i < 20; i++) {
    const n = String(num++);
    out.push({ name: n, short: n, numeric: n, owner: null });
  }
  for (const p of people.slice(0, 40)) {
    out.push({ name: `Meet ${p.first} ${p.last}`, short: `meet.${p.user}`, numeric: String(num++), owner: p });
  }
  rng.shuffle(out);
  return out;
}

export const DISCONNECT_REMOTE = 'Remote disconnect';
export const DISCONNECT_BY_ADMIN = 'Disconnected by an administrator';
export const DISCONNECT_LOCAL = [DISCONNECT_BY_ADMIN, 'Conference host ended the conference with a DTMF command', 'Call rejected'];
/** Our wording (the vendor's documentation shows none) for a call the node hung up as its session timer ran out. */
export const DISCONNECT_SESSION_EXPIRED = 'Session timer expired';
export const DISCONNECT_WEBRTC = ['Participant disconnected', 'Participant disconnected', 'Timer expired awaiting token refresh'];

/** SIP failure responses and the admin Reason logged with them. */
export const SIP_FAILURES: readonly (readonly [number, string, string])[] = [
  [404, 'Not Found', 'Neither conference nor gateway found'],
  [403, 'Forbidden', 'Call rejected by policy'],
  [486, 'Busy Here', 'Conference is locked'],
  [488, 'Not Acceptable Here', 'Media negotiation failed'],
  [503, 'Service Unavailable', 'Out of resources'],
];
