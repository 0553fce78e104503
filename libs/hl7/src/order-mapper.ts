import type { NewRequest, RequestPriority, RequestReferrer } from '@krypton/pathway';
import { HL7_ERROR_CODES, Hl7Error, requiredFieldMissing, requiredSegmentMissing } from './hl7-error';
import { MshHeader, ParsedMessage, ParsedSegment } from './hl7-message';
import { readPatient } from './patient-reader';

/** A new order: one request per ORC/OBR group. */
export interface NewOrderCommand {
  readonly kind: 'new';
  /** 1-based ORC group, for error locations. */
  readonly group: number;
  readonly request: NewRequest;
}

/** ORC-1 = CA (or DC): the placer withdraws an order it sent earlier. */
export interface CancelOrderCommand {
  readonly kind: 'cancel';
  readonly group: number;
  readonly placerSystem: string;
  readonly placerOrderNumber: string;
  readonly reason?: string;
}

/**
 * ORC-1 = XO: the placer changes an order in flight. Only what the message states changes: an
 * absent priority is not a downgrade to routine, an absent clinical information keeps the old one.
 */
export interface ChangeOrderCommand {
  readonly kind: 'change';
  readonly group: number;
  readonly placerSystem: string;
  readonly placerOrderNumber: string;
  readonly priority?: RequestPriority;
  readonly procedureCode?: string;
  readonly clinicalInformation?: string;
}

export type OrderCommand = NewOrderCommand | CancelOrderCommand | ChangeOrderCommand;

/** The segments of one order: ORC and what follows it until the next ORC. */
interface OrderGroup {
  readonly orc: ParsedSegment;
  readonly obr?: ParsedSegment;
  readonly tq1?: ParsedSegment;
}

/**
 * The system that placed the order, as MSH-3 and MSH-4 name it ("APP@FACILITY"). With the placer
 * order number it is the idempotency key of a request: a resent order finds the request it created.
 */
export function placerSystemOf(h: Pick<MshHeader, 'sendingApplication' | 'sendingFacility'>): string {
  return h.sendingFacility ? `${h.sendingApplication}@${h.sendingFacility}` : h.sendingApplication;
}

/**
 * ORM^O01 and OMI^O23 to request commands. The whole message is mapped before anything is applied,
 * so a bad third group fails the message without the first two having been created.
 */
export function mapOrderMessage(msg: ParsedMessage): OrderCommand[] {
  const groups = orderGroups(msg);
  if (groups.length === 0) throw requiredSegmentMissing('ORC', `in ${msg.type}`);
  const placerSystem = placerSystemOf(msg.header);
  const pid = msg.first('PID');
  return groups.map((g, i) => {
    const group = i + 1;
    const control = g.orc.value(1).trim().toUpperCase();
    const placerOrderNumber = (g.orc.value(2) || g.obr?.value(2) || '').trim();
    if (!placerOrderNumber) throw requiredFieldMissing('ORC', 2, 'placer order number', g.orc.sequence);
    if (control === 'CA' || control === 'DC') {
      return { kind: 'cancel', group, placerSystem, placerOrderNumber, reason: g.orc.value(16, 2) || g.orc.value(16, 1) || undefined };
    }
    if (control === 'XO') {
      if (!g.obr) throw requiredSegmentMissing('OBR', `after ORC #${g.orc.sequence} (the changed order)`);
      return { kind: 'change', group, placerSystem, placerOrderNumber, ...readChange(g, g.obr) };
    }
    if (control !== 'NW') {
      throw new Hl7Error(HL7_ERROR_CODES.tableValueNotFound, `ORC-1 order control "${control}" is not supported (NW, XO, CA, DC)`, { segment: 'ORC', segmentSequence: g.orc.sequence, field: 1 });
    }
    if (!pid) throw requiredSegmentMissing('PID', `for a new order (${msg.type})`);
    if (!g.obr) throw requiredSegmentMissing('OBR', `after ORC #${g.orc.sequence}`);
    return { kind: 'new', group, request: toRequest(msg, pid, g, g.obr, placerSystem, placerOrderNumber) };
  });
}

function orderGroups(msg: ParsedMessage): OrderGroup[] {
  const groups: { orc: ParsedSegment; obr?: ParsedSegment; tq1?: ParsedSegment }[] = [];
  for (const seg of msg.segments) {
    const current = groups[groups.length - 1];
    if (seg.name === 'ORC') groups.push({ orc: seg });
    else if (seg.name === 'OBR' || seg.name === 'TQ1') {
      if (!current) throw new Hl7Error(HL7_ERROR_CODES.segmentSequence, `${seg.name} before any ORC`, { segment: seg.name, segmentSequence: seg.sequence });
      const key = seg.name === 'OBR' ? 'obr' : 'tq1';
      // A second OBR in one group is how some senders put two procedures under one ORC; the
      // standard makes that a new group, and so do we, sharing the ORC.
      if (current[key]) groups.push({ orc: current.orc, [key]: seg });
      else current[key] = seg;
    }
  }
  return groups;
}

function readChange(g: OrderGroup, obr: ParsedSegment): Pick<ChangeOrderCommand, 'priority' | 'procedureCode' | 'clinicalInformation'> {
  const procedureCode = obr.value(4, 1).trim();
  const clinical = clinicalOf(obr);
  const priority = readPriority(g, obr, null);
  return { ...(priority ? { priority } : {}), ...(procedureCode ? { procedureCode } : {}), ...(clinical ? { clinicalInformation: clinical } : {}) };
}

/** OBR-31 (reason for study) and OBR-13 (relevant clinical information), one per line. */
function clinicalOf(obr: ParsedSegment): string | undefined {
  const clinical = [obr.field(31).get(2) || obr.value(31, 1), obr.value(13)].map((s) => s.trim()).filter(Boolean);
  return clinical.length ? clinical.join('\n') : undefined;
}

function toRequest(msg: ParsedMessage, pid: ParsedSegment, g: OrderGroup, obr: ParsedSegment, placerSystem: string, placerOrderNumber: string): NewRequest {
  const procedureCode = obr.value(4, 1).trim();
  if (!procedureCode) throw requiredFieldMissing('OBR', 4, 'universal service identifier', obr.sequence);
  return {
    source: 'hl7',
    placerOrderNumber,
    placerSystem,
    patient: readPatient(pid, msg.header.sendingFacility || msg.header.sendingApplication),
    referrer: readReferrer(g, obr, msg.header),
    procedureCode,
    procedureText: obr.value(4, 2).trim() || undefined,
    priority: readPriority(g, obr),
    clinicalInformation: clinicalOf(obr),
    // The sender addresses the hub, not a site: a coordinator (or the protocol) picks the site.
    targetSite: null,
  };
}

/** OBR-16 ordering provider, else ORC-12; an XCN whose first component is the RPPS number. */
function readReferrer(g: OrderGroup, obr: ParsedSegment, h: MshHeader): RequestReferrer {
  const xcn = obr.field(16).isEmpty ? g.orc.field(12) : obr.field(16);
  const id = xcn.get(1).trim();
  const name = [xcn.get(3), xcn.get(2, 1)]
    .map((s) => s.trim())
    .filter(Boolean)
    .join(' ');
  if (!id && !name) throw requiredFieldMissing('OBR', 16, 'ordering provider (or ORC-12)', obr.sequence);
  const organisation = g.orc.value(21, 1).trim() || g.orc.value(21, 10).trim() || h.sendingFacility || undefined;
  return { rpps: id || undefined, name: name || id, organisation };
}

const PRIORITIES: Record<string, RequestPriority> = {
  S: 'emergency',
  A: 'urgent',
  R: 'routine',
  // Pre-operative, callback and timing-critical orders have a deadline: never routine.
  P: 'urgent',
  C: 'urgent',
  T: 'urgent',
};

/**
 * TQ1-9 (v2.5), else ORC-7.6 / OBR-27.6 (the older TQ type); absent means `absent` (routine for a
 * new order). An unknown value is an error, not a silent routine: downgrading an emergency is the
 * one mistake to avoid.
 */
function readPriority<A extends RequestPriority | null = RequestPriority>(g: OrderGroup, obr: ParsedSegment, absent: A = 'routine' as A): RequestPriority | A {
  const candidates: [string, string, number, ParsedSegment | undefined][] = [
    [g.tq1?.value(9, 1) ?? '', 'TQ1', 9, g.tq1],
    [g.orc.value(7, 6), 'ORC', 7, g.orc],
    [obr.value(27, 6), 'OBR', 27, obr],
  ];
  for (const [raw, segment, field, seg] of candidates) {
    const code = raw.trim().toUpperCase();
    if (!code) continue;
    const priority = PRIORITIES[code];
    if (!priority) {
      throw new Hl7Error(HL7_ERROR_CODES.tableValueNotFound, `${segment}-${field}: priority "${raw}" is not in table 0027 (S, A, R, P, C, T)`, {
        segment,
        segmentSequence: seg?.sequence,
        field,
      });
    }
    return priority;
  }
  return absent;
}
