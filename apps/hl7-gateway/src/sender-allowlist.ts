import { BlockList, isIPv4 } from 'node:net';
import type { Hl7SenderConfig } from '@krypton/config';
import { HL7_ERROR_CODES, Hl7Error, MshHeader } from '@krypton/hl7';

interface Sender {
  readonly application?: string;
  readonly facility?: string;
  readonly addresses?: BlockList;
}

/** MSH-3/MSH-4 are HD: the namespace id (first component) names the system. */
function namespaceId(hd: string | undefined): string {
  return (hd ?? '').split('^')[0].trim();
}

/** IPv4 peers of a dual-stack listener arrive as ::ffff:a.b.c.d. */
function plainAddress(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const a = mapped ? mapped[1] : address;
  return { address: a, family: isIPv4(a) ? 'ipv4' : 'ipv6' };
}

/**
 * `hl7.allowedSenders`: which systems may send, by MSH-3, MSH-4 and source address. A message
 * from a system not listed is refused (AR) with the first field that no entry accepts, so the
 * sender's interface team reads what to fix: MSH-3 (no entry for that application), MSH-4 (the
 * application is known, not from that facility) or the source address. An empty list accepts
 * every sender, as before the list existed.
 */
export class SenderAllowlist {
  private readonly senders: Sender[];

  constructor(config: readonly Hl7SenderConfig[]) {
    this.senders = config.map((s) => {
      if (!s.addresses) return { application: s.application, facility: s.facility };
      const list = new BlockList();
      for (const entry of s.addresses) {
        const [ip, bits] = entry.split('/');
        const { address, family } = plainAddress(ip);
        if (bits === undefined) list.addAddress(address, family);
        else list.addSubnet(address, Number(bits), family);
      }
      return { application: s.application, facility: s.facility, addresses: list };
    });
  }

  /** Undefined when the sender may send; otherwise the AR's error. */
  check(header: Partial<MshHeader>, remoteAddress: string | undefined): Hl7Error | undefined {
    if (this.senders.length === 0) return undefined;
    const app = namespaceId(header.sendingApplication);
    const facility = namespaceId(header.sendingFacility);
    const peer = remoteAddress ? plainAddress(remoteAddress) : undefined;
    const byApp = this.senders.filter((s) => s.application === undefined || s.application === app);
    if (byApp.length === 0) return refused(`sending application "${app}" (MSH-3) is not an allowed sender (hl7.allowedSenders)`, 3);
    const byFacility = byApp.filter((s) => s.facility === undefined || s.facility === facility);
    if (byFacility.length === 0) return refused(`sending facility "${facility}" (MSH-4) is not allowed for application "${app}" (hl7.allowedSenders)`, 4);
    const byAddress = byFacility.filter((s) => !s.addresses || (peer !== undefined && s.addresses.check(peer.address, peer.family)));
    if (byAddress.length === 0) return refused(`source address ${peer?.address ?? 'unknown'} is not allowed for ${app}${facility ? `@${facility}` : ''} (hl7.allowedSenders)`);
    return undefined;
  }
}

function refused(message: string, field?: number): Hl7Error {
  return new Hl7Error(HL7_ERROR_CODES.tableValueNotFound, message, { segment: 'MSH', ...(field ? { field } : {}) }, true);
}
