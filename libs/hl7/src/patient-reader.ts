import type { PatientIdentifier, RequestPatient } from '@krypton/pathway';
import { HL7_ERROR_CODES, Hl7Error, requiredFieldMissing } from './hl7-error';
import { Hl7Composite, ParsedSegment } from './hl7-message';

/** Assigning-authority OIDs of the national health identifier (INS-NIR; the second for test identities). */
export const INS_OIDS = ['1.2.250.1.213.1.4.8', '1.2.250.1.213.1.4.10'] as const;

/** An INS-NIR: 13 characters (sex, year, month, department — 2A/2B for Corsica —, commune, order) and a 2-digit key. */
const INS_PATTERN = /^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}[0-9]{2}$/;

function isIns(cx: Hl7Composite): boolean {
  const authorityOid = cx.get(4, 2);
  return cx.get(5).toUpperCase() === 'INS' || (INS_OIDS as readonly string[]).includes(authorityOid);
}

/**
 * The identifiers of a PID-3 (or MRG-1) list. An INS is recognised by its type code or its
 * authority OID and checked for shape: an INS that is wrong must not be stored against a patient.
 * An identifier without assigning authority is local to the sending facility, which then stands in
 * as its issuer (two hospitals' "12345" are different patients).
 */
export function readIdentifiers(reps: readonly Hl7Composite[], defaultIssuer: string, where: { segment: string; field: number }): { ins?: string; identifiers: PatientIdentifier[] } {
  let ins: string | undefined;
  const identifiers: PatientIdentifier[] = [];
  for (const cx of reps) {
    const value = cx.get(1).trim();
    if (!value) continue;
    if (isIns(cx)) {
      const normalised = value.toUpperCase();
      if (!INS_PATTERN.test(normalised)) {
        throw new Hl7Error(HL7_ERROR_CODES.dataType, `${where.segment}-${where.field}: "${value}" is not a valid INS (15 characters, INS-NIR)`, where);
      }
      ins = normalised;
      continue;
    }
    const issuer = cx.get(4, 1) || cx.get(4, 2) || cx.get(6, 1) || defaultIssuer;
    identifiers.push({ value, issuer });
  }
  return { ins, identifiers };
}

const SEX: Record<string, RequestPatient['sex']> = { M: 'M', F: 'F', O: 'O', U: 'U', A: 'O', N: 'U' };

/**
 * The patient of a PID segment. The legal (birth) name, type L, is preferred: it is the name the
 * INS is qualified against; otherwise the first name given.
 */
export function readPatient(pid: ParsedSegment, defaultIssuer: string): RequestPatient {
  const { ins, identifiers } = readIdentifiers(pid.repetitions(3), defaultIssuer, { segment: 'PID', field: 3 });
  if (!ins && identifiers.length === 0) throw requiredFieldMissing('PID', 3, 'patient identifier list', pid.sequence);
  const names = pid.repetitions(5);
  const name = names.find((n) => n.get(7).toUpperCase() === 'L') ?? names[0];
  const familyName = name?.get(1, 1).trim() ?? '';
  if (!familyName) throw requiredFieldMissing('PID', 5, 'patient name', pid.sequence);
  const birth = pid.value(7).trim();
  if (birth && !/^\d{8}/.test(birth)) {
    throw new Hl7Error(HL7_ERROR_CODES.dataType, `PID-7: "${birth}" is not a date (YYYYMMDD)`, { segment: 'PID', field: 7 });
  }
  const givenName = name?.get(2).trim();
  return {
    ins,
    identifiers,
    familyName,
    givenName: givenName || undefined,
    birthDate: birth ? birth.slice(0, 8) : undefined,
    sex: SEX[pid.value(8).trim().toUpperCase()],
  };
}
