import type { NewRequest, PatientIdentifier, RequestPatient, RequestPriority, RequestReferrer } from '@krypton/pathway';
import { FhirInputError } from './operation-outcome';

/** INS-NIR, and the test NIR used by the ANS qualification platforms (refused nowhere, flagged by its system). */
export const INS_NIR_SYSTEMS = ['urn:oid:1.2.250.1.213.1.4.8', 'urn:oid:1.2.250.1.213.1.4.10'];
/** RPPS numbers of health professionals. */
export const RPPS_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.1';

type Json = Record<string, unknown>;

// FHIR R4 request priorities; asap has no counterpart of its own here and is treated as urgent.
const PRIORITY: Record<string, RequestPriority> = { routine: 'routine', urgent: 'urgent', asap: 'urgent', stat: 'emergency' };
const GENDER: Record<string, RequestPatient['sex']> = { male: 'M', female: 'F', other: 'O', unknown: 'U' };
const ACCEPTED_STATUS = ['active'];
const ACCEPTED_INTENT = ['order', 'original-order'];

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface FhirMappingContext {
  /** The authenticated client: the placer system when the identifier names none. */
  readonly client: string;
  /** Configured sites, to read performer as a target site (by id or FINESS). */
  readonly sites: readonly { readonly id: string; readonly finess?: string }[];
}

/**
 * Maps a FHIR R4 ServiceRequest (JSON) onto the hub's one request shape. Liberal in what it
 * reads (contained or logical references, several codings), strict on what a pathway cannot do
 * without (a patient with an identifier and a name, a code, a requester).
 *
 * @throws FhirInputError with the FHIRPath of the element at fault.
 */
export function mapServiceRequest(body: unknown, ctx: FhirMappingContext): NewRequest {
  if (!isObj(body)) throw new FhirInputError('ServiceRequest', 'the body must be a JSON object');
  if (body.resourceType !== 'ServiceRequest') throw new FhirInputError('resourceType', `expected "ServiceRequest", got ${JSON.stringify(body.resourceType)}`);
  if (!ACCEPTED_STATUS.includes(String(body.status))) throw new FhirInputError('ServiceRequest.status', `must be one of ${ACCEPTED_STATUS.join(', ')}`, 'value');
  if (!ACCEPTED_INTENT.includes(String(body.intent))) throw new FhirInputError('ServiceRequest.intent', `must be one of ${ACCEPTED_INTENT.join(', ')}`, 'value');

  const contained = new Map<string, Json>();
  arr(body.contained).forEach((r) => {
    if (isObj(r) && typeof r.id === 'string') contained.set(`#${r.id}`, r);
  });

  const placer = placerIdentifier(body);
  const code = procedureCode(body);
  const priority = body.priority === undefined ? 'routine' : PRIORITY[String(body.priority)];
  if (!priority) throw new FhirInputError('ServiceRequest.priority', `must be one of ${Object.keys(PRIORITY).join(', ')}`, 'value');

  return {
    source: 'fhir',
    placerOrderNumber: placer?.value,
    placerSystem: placer?.system ?? ctx.client,
    patient: patient(body.subject, contained),
    referrer: referrer(body.requester, contained),
    procedureCode: code.code,
    procedureText: code.text,
    priority,
    clinicalInformation: clinicalInformation(body),
    targetSite: targetSite(body, ctx),
  };
}

function placerIdentifier(body: Json): { value: string; system?: string } | undefined {
  const ids = arr(body.identifier).filter(isObj);
  // Prefer the identifier typed PLAC (v2-0203 placer identifier); else the first one.
  const plac = ids.find((i) => arr((i.type as Json | undefined)?.coding).some((c) => isObj(c) && c.code === 'PLAC')) ?? ids[0];
  if (!plac) return undefined;
  const index = ids.indexOf(plac);
  const value = str(plac.value);
  if (!value) throw new FhirInputError(`ServiceRequest.identifier[${index}].value`, 'the placer order number must not be empty', 'required');
  if (value.length > 64) throw new FhirInputError(`ServiceRequest.identifier[${index}].value`, 'at most 64 characters', 'value');
  return { value, system: str(plac.system) };
}

function procedureCode(body: Json): { code: string; text?: string } {
  if (!isObj(body.code)) throw new FhirInputError('ServiceRequest.code', 'the requested procedure is required', 'required');
  const codings = arr(body.code.coding).filter(isObj);
  // A CCAM coding when there are several (a local code may sit beside it).
  const chosen = codings.find((c) => /ccam/i.test(String(c.system ?? ''))) ?? codings[0];
  const code = str(chosen?.code);
  if (!code) throw new FhirInputError('ServiceRequest.code.coding', 'a coding with a code is required', 'required');
  return { code, text: str(body.code.text) ?? str(chosen?.display) };
}

function patient(subject: unknown, contained: Map<string, Json>): RequestPatient {
  if (!isObj(subject)) throw new FhirInputError('ServiceRequest.subject', 'the patient is required', 'required');
  const ref = str(subject.reference);
  if (ref?.startsWith('#')) {
    const p = contained.get(ref);
    if (!p || p.resourceType !== 'Patient') throw new FhirInputError('ServiceRequest.subject.reference', `${ref} is not a contained Patient`);
    return containedPatient(p);
  }
  if (ref) throw new FhirInputError('ServiceRequest.subject.reference', 'only a contained Patient (#id) or a logical identifier is supported', 'not-supported');
  if (!isObj(subject.identifier)) throw new FhirInputError('ServiceRequest.subject', 'a contained Patient or an identifier is required', 'required');
  const familyName = str(subject.display);
  if (!familyName) throw new FhirInputError('ServiceRequest.subject.display', "the patient's name is required with a logical reference", 'required');
  return { ...identifiers([subject.identifier], 'ServiceRequest.subject.identifier', false), familyName };
}

function containedPatient(p: Json): RequestPatient {
  const ids = identifiers(arr(p.identifier), 'Patient.identifier', true);
  const names = arr(p.name).filter(isObj);
  const name = names.find((n) => n.use === 'official') ?? names[0];
  const familyName = str(name?.family);
  if (!familyName) throw new FhirInputError('Patient.name.family', 'the family name is required', 'required');
  const given = arr(name?.given).map(str).filter(Boolean).join(' ') || undefined;
  let birthDate: string | undefined;
  if (p.birthDate !== undefined) {
    if (typeof p.birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(p.birthDate)) throw new FhirInputError('Patient.birthDate', 'must be a full date YYYY-MM-DD', 'value');
    birthDate = p.birthDate.replace(/-/g, '');
  }
  const sex = p.gender === undefined ? undefined : GENDER[String(p.gender)];
  if (p.gender !== undefined && !sex) throw new FhirInputError('Patient.gender', 'must be one of male, female, other, unknown', 'value');
  return { ...ids, familyName, givenName: given, birthDate, sex };
}

/** Splits identifiers into the INS and local ones (the system is the issuer). */
function identifiers(list: unknown[], path: string, indexed: boolean): Pick<RequestPatient, 'ins' | 'identifiers'> {
  let ins: string | undefined;
  const local: PatientIdentifier[] = [];
  list.forEach((raw, i) => {
    const at = indexed ? `${path}[${i}]` : path;
    if (!isObj(raw)) throw new FhirInputError(at, 'must be an Identifier');
    const value = str(raw.value);
    const system = str(raw.system);
    if (!value) throw new FhirInputError(`${at}.value`, 'must not be empty', 'required');
    if (system && INS_NIR_SYSTEMS.includes(system)) ins = value;
    else if (!system) throw new FhirInputError(`${at}.system`, 'the issuer of a local identifier is required', 'required');
    else local.push({ value, issuer: system.replace(/^urn:oid:/, '') });
  });
  return { ins, identifiers: local };
}

function referrer(requester: unknown, contained: Map<string, Json>): RequestReferrer {
  if (!isObj(requester)) throw new FhirInputError('ServiceRequest.requester', 'the referrer is required', 'required');
  const ref = str(requester.reference);
  const target = ref?.startsWith('#') ? contained.get(ref) : undefined;
  if (ref?.startsWith('#') && !target) throw new FhirInputError('ServiceRequest.requester.reference', `${ref} is not a contained resource`);
  const ids = [requester.identifier, ...arr(target?.identifier)].filter(isObj);
  const rpps = str(ids.find((i) => i.system === RPPS_SYSTEM)?.value);
  const names = arr(target?.name).filter(isObj);
  const fromName = names[0] ? [arr(names[0].prefix).join(' '), arr(names[0].given).join(' '), names[0].family].map(str).filter(Boolean).join(' ') : undefined;
  const name = str(requester.display) ?? str(fromName);
  if (!name) throw new FhirInputError('ServiceRequest.requester.display', "the referrer's name is required (display, or a contained Practitioner with a name)", 'required');
  return { rpps, name };
}

function clinicalInformation(body: Json): string | undefined {
  const reasons = arr(body.reasonCode)
    .filter(isObj)
    .map((c) => str(c.text) ?? str(arr(c.coding).filter(isObj)[0]?.display));
  const notes = arr(body.note)
    .filter(isObj)
    .map((n) => str(n.text));
  const all = [...reasons, ...notes].filter((s): s is string => !!s);
  return all.length ? all.join('\n') : undefined;
}

function targetSite(body: Json, ctx: FhirMappingContext): string | null {
  const performers = arr(body.performer).filter(isObj);
  if (!performers.length) return null;
  const id = str((performers[0].identifier as Json | undefined)?.value);
  if (!id) throw new FhirInputError('ServiceRequest.performer[0].identifier.value', 'the performing site is named by its site id or FINESS', 'required');
  const site = ctx.sites.find((s) => s.id === id || s.finess === id);
  if (!site) throw new FhirInputError('ServiceRequest.performer[0].identifier.value', `unknown site "${id}"`, 'value');
  return site.id;
}

/** Where a NewRequest field came from in a ServiceRequest, to name it in an OperationOutcome. */
export function fhirPathOf(field: string): string {
  if (field.startsWith('patient.ins') || field.startsWith('patient.identifiers')) return 'ServiceRequest.subject.identifier';
  if (field.startsWith('patient')) return 'ServiceRequest.subject';
  if (field.startsWith('referrer')) return 'ServiceRequest.requester';
  if (field === 'targetSite') return 'ServiceRequest.performer';
  if (field === 'placerOrderNumber') return 'ServiceRequest.identifier';
  if (field.startsWith('procedure')) return 'ServiceRequest.code';
  return 'ServiceRequest';
}
