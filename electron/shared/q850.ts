/**
 * ITU-T Q.850 cause values, for a SIP `Reason: Q.850;cause=102` that gives no text (a PSTN or
 * Teams gateway's hang-up, "the call drops after 30 s") and an ISDN-style cause in H.323: said in
 * the standard's words, so the cause reads without a table beside it.
 */
export const Q850_CAUSES: Readonly<Record<number, string>> = {
  1: 'unallocated (unassigned) number',
  2: 'no route to specified transit network',
  3: 'no route to destination',
  6: 'channel unacceptable',
  7: 'call awarded and being delivered in an established channel',
  16: 'normal call clearing',
  17: 'user busy',
  18: 'no user responding',
  19: 'no answer from user (user alerted)',
  20: 'subscriber absent',
  21: 'call rejected',
  22: 'number changed',
  26: 'non-selected user clearing',
  27: 'destination out of order',
  28: 'invalid number format (address incomplete)',
  29: 'facility rejected',
  30: 'response to STATUS ENQUIRY',
  31: 'normal, unspecified',
  34: 'no circuit/channel available',
  38: 'network out of order',
  41: 'temporary failure',
  42: 'switching equipment congestion',
  43: 'access information discarded',
  44: 'requested circuit/channel not available',
  47: 'resource unavailable, unspecified',
  49: 'quality of service not available',
  50: 'requested facility not subscribed',
  55: 'incoming calls barred within CUG',
  57: 'bearer capability not authorized',
  58: 'bearer capability not presently available',
  63: 'service or option not available, unspecified',
  65: 'bearer capability not implemented',
  66: 'channel type not implemented',
  69: 'requested facility not implemented',
  70: 'only restricted digital information bearer capability is available',
  79: 'service or option not implemented, unspecified',
  81: 'invalid call reference value',
  82: 'identified channel does not exist',
  83: 'a suspended call exists, but this call identity does not',
  84: 'call identity in use',
  85: 'no call suspended',
  86: 'call having the requested call identity has been cleared',
  87: 'user not member of CUG',
  88: 'incompatible destination',
  91: 'invalid transit network selection',
  95: 'invalid message, unspecified',
  96: 'mandatory information element is missing',
  97: 'message type non-existent or not implemented',
  98: 'message not compatible with call state or message type non-existent or not implemented',
  99: 'information element / parameter non-existent or not implemented',
  100: 'invalid information element contents',
  101: 'message not compatible with call state',
  102: 'recovery on timer expiry',
  103: 'parameter non-existent or not implemented, passed on',
  111: 'protocol error, unspecified',
  127: 'interworking, unspecified',
};

/**
 * A Reason header's value with each Q.850 cause that carries no `text=` said in words:
 * `Q.850;cause=102` → `Q.850;cause=102 (recovery on timer expiry)`; several reasons
 * (`SIP;cause=200;text="Call completed elsewhere", Q.850;cause=16`) each on its own; anything
 * else as it was.
 */
export function reasonWords(reason: string): string {
  return reason.replace(/(Q\.850\s*;[^,]*?\bcause\s*=\s*(\d+))([^,]*)/gi, (all, head: string, n: string, rest: string) => {
    if (/\btext\s*=/i.test(all)) return all;
    const name = Q850_CAUSES[Number(n)];
    return name ? `${head}${rest.trimEnd()} (${name})` : all;
  });
}
