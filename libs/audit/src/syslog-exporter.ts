import { createSocket, Socket as UdpSocket } from 'node:dgram';
import { Socket, createConnection } from 'node:net';
import { hostname } from 'node:os';
import type { AuditConfig } from '@krypton/config';
import type { AuditRecord } from './audit-record';

const xml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** DICOM PS3.15 A.5 event ids by action: query, instances accessed, transferred, security alert. */
function eventId(action: string): [string, string] {
  if (action === 'search') return ['110112', 'Query'];
  if (action === 'send') return ['110104', 'DICOM Instances Transferred'];
  if (action === 'emergency-access') return ['110113', 'Security Alert'];
  if (action === 'write') return ['110103', 'DICOM Instances Accessed'];
  return ['110103', 'DICOM Instances Accessed'];
}

/** The DICOM Audit Message (PS3.15 A.5, the IHE ATNA payload) of one record. */
export function dicomAuditMessage(r: AuditRecord, sourceId: string, at: Date): string {
  const [code, text] = eventId(r.action);
  const actionCode = r.action === 'write' ? 'U' : r.action === 'search' || r.action === 'send' || r.action === 'emergency-access' ? 'E' : 'R';
  const net = r.clientAddress ? ` NetworkAccessPointID="${xml(r.clientAddress)}" NetworkAccessPointTypeCode="2"` : '';
  const parts = [
    `<?xml version="1.0" encoding="UTF-8"?><AuditMessage>`,
    `<EventIdentification EventActionCode="${actionCode}" EventDateTime="${at.toISOString()}" EventOutcomeIndicator="${r.outcome === 'allowed' ? 0 : 4}">`,
    `<EventID csd-code="${code}" codeSystemName="DCM" originalText="${text}"/></EventIdentification>`,
    `<ActiveParticipant UserID="${xml(r.userId ?? 'anonymous')}" UserIsRequestor="true"${net}>`,
    ...r.roles.map((role) => `<RoleIDCode csd-code="${xml(role)}" codeSystemName="urn:krypton:role" originalText="${xml(role)}"/>`),
    `</ActiveParticipant>`,
    `<AuditSourceIdentification AuditSourceID="${xml(sourceId)}"><AuditSourceTypeCode csd-code="4"/></AuditSourceIdentification>`,
    ...(r.patients ?? []).map(
      (p) =>
        `<ParticipantObjectIdentification ParticipantObjectID="${xml(p)}" ParticipantObjectTypeCode="1" ParticipantObjectTypeCodeRole="1">` +
        `<ParticipantObjectIDTypeCode csd-code="2" codeSystemName="RFC-3881" originalText="Patient Number"/></ParticipantObjectIdentification>`,
    ),
    ...(r.studies ?? []).map(
      (s) =>
        `<ParticipantObjectIdentification ParticipantObjectID="${xml(s)}" ParticipantObjectTypeCode="2" ParticipantObjectTypeCodeRole="3">` +
        `<ParticipantObjectIDTypeCode csd-code="110180" codeSystemName="DCM" originalText="Study Instance UID"/></ParticipantObjectIdentification>`,
    ),
    `</AuditMessage>`,
  ];
  return parts.join('');
}

/**
 * RFC 5424 header: facility 10 (security/authorization), severity notice for an allowed access and
 * warning for a refusal; MSGID IHE+RFC-3881 as IHE ATNA asks; no structured data.
 */
export function syslogLine(r: AuditRecord, sourceId: string, at: Date, host = hostname()): string {
  const pri = 10 * 8 + (r.outcome === 'allowed' ? 5 : 4);
  return `<${pri}>1 ${at.toISOString()} ${host.replace(/\s/g, '') || '-'} ${sourceId} ${process.pid} IHE+RFC-3881 - ${dicomAuditMessage(r, sourceId, at)}`;
}

/**
 * Best-effort export to the configured collector (UDP, RFC 5426; or TCP with octet counting,
 * RFC 6587). The database trail is the record of authority; the collector gets a copy.
 */
export class SyslogExporter {
  private udp?: UdpSocket;
  private tcp?: Socket;

  constructor(private readonly cfg: NonNullable<AuditConfig['syslog']>) {}

  send(records: readonly AuditRecord[]): void {
    const at = new Date();
    for (const r of records) {
      const line = Buffer.from(syslogLine(r, this.cfg.sourceId, at), 'utf8');
      if (this.cfg.protocol === 'udp') {
        this.udp ??= createSocket('udp4').unref();
        this.udp.send(line, this.cfg.port, this.cfg.host);
      } else {
        this.tcpSocket().write(Buffer.concat([Buffer.from(`${line.length} `), line]));
      }
    }
  }

  private tcpSocket(): Socket {
    if (!this.tcp || this.tcp.destroyed) {
      const s = createConnection({ host: this.cfg.host, port: this.cfg.port });
      s.setNoDelay(true);
      s.on('error', () => s.destroy());
      s.unref();
      this.tcp = s;
    }
    return this.tcp;
  }

  close(): void {
    this.udp?.close();
    this.tcp?.end();
  }
}
