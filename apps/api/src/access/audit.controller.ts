import { Controller, ForbiddenException, Get, Header, Query, Req, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Access, accessContext, AccessService } from '@krypton/access';
import { AuditService, toFhirAuditEvent } from '@krypton/audit';
import { AuditQueryDto, FhirAuditQueryDto } from './access.dto';
import { patientAccessLog } from './patient-access-log';

const INS_SYSTEM = 'urn:oid:1.2.250.1.213.1.4.8';

/** `system|value` → value for the INS-NIR system or the DICOM UID system; a bare value as is. */
function tokenValue(raw: string | undefined, systems: readonly string[]): string | undefined {
  if (raw === undefined) return undefined;
  const bar = raw.indexOf('|');
  if (bar < 0) return raw;
  const system = raw.slice(0, bar);
  if (!systems.includes(system)) return raw; // issuer|patientId
  return raw.slice(bar + 1).replace(/^urn:oid:/, '');
}

function date(name: string, v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new UnprocessableEntityException(`${name}: not a date-time`);
  return d;
}

/**
 * The audit trail's read side: the auditors' search, a patient's own access log, and the same
 * records as FHIR AuditEvents (IHE BALP). Reading the trail is itself audited.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly access: AccessService,
  ) {}

  @Get('audit')
  @Access('audit', 'search', { instance: true })
  @ApiOperation({ summary: 'Audit records, newest first (admin, auditor, DPO): by patient (INS or issuer|patientId), study, user, time' })
  async list(@Query() q: AuditQueryDto, @Req() req: Request) {
    const actx = accessContext(req);
    const d = this.access.decide(actx, 'search', { type: 'audit', patientIns: q.patient ? [q.patient] : [] });
    await this.access.record(actx, {
      action: 'search',
      outcome: d.allowed ? 'allowed' : 'denied',
      resourceType: 'audit',
      patients: q.patient ? [q.patient] : [],
      studies: q.studyInstanceUid ? [q.studyInstanceUid] : [],
      reason: d.reason,
      detail: { ...q },
    });
    if (!d.allowed) throw new ForbiddenException(d.reason);
    return this.audit.find({
      patients: q.patient ? [q.patient] : undefined,
      studyUid: q.studyInstanceUid,
      user: q.user,
      since: date('since', q.since),
      until: date('until', q.until),
      limit: q.limit ?? 100,
      offset: q.offset ?? 0,
    });
  }

  @Get('me/access-log')
  @Access('audit', 'search', { instance: true })
  @ApiOperation({ summary: "A patient's access log: who saw their exams and dose history, when, through which door and why (break-the-glass included)" })
  async accessLog(@Query() q: AuditQueryDto, @Req() req: Request) {
    return patientAccessLog(this.access, this.audit, req, { since: date('since', q.since), until: date('until', q.until), limit: q.limit, offset: q.offset });
  }

  @Get('fhir/AuditEvent')
  @Access('audit', 'search', { instance: true })
  @Header('content-type', 'application/fhir+json')
  @ApiOperation({ summary: 'FHIR R4 AuditEvent search (IHE BALP shape): patient, entity-identifier; a searchset Bundle, newest first' })
  async fhir(@Query() q: FhirAuditQueryDto, @Req() req: Request) {
    const actx = accessContext(req);
    const patient = tokenValue(q.patient?.replace(/^Patient\//, ''), [INS_SYSTEM]);
    const study = tokenValue(q['entity-identifier'], ['urn:dicom:uid', 'urn:ietf:rfc:3986']);
    const d = this.access.decide(actx, 'search', { type: 'audit', patientIns: patient ? [patient] : [] });
    await this.access.record(actx, {
      action: 'search',
      outcome: d.allowed ? 'allowed' : 'denied',
      resourceType: 'audit',
      patients: patient ? [patient] : [],
      studies: study ? [study] : [],
      reason: d.reason,
      detail: { route: 'fhir/AuditEvent' },
    });
    if (!d.allowed) throw new ForbiddenException(d.reason);
    const rows = await this.audit.find({ patients: patient ? [patient] : undefined, studyUid: study, limit: q._count ?? 100, offset: 0 });
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: rows.length,
      entry: rows.map((r) => ({ fullUrl: `AuditEvent/${r.seq}`, resource: toFhirAuditEvent(r, this.audit.cfg.audit.syslog?.sourceId ?? 'krypton'), search: { mode: 'match' } })),
    };
  }
}
