import { NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import type { Request } from 'express';
import { accessContext, AccessService } from '@krypton/access';
import { PatientDoseHistory, PatientHistoryService } from '@krypton/dose-registry';
import { InvalidPatientKeyError, parsePatientKey } from '@krypton/patient-match';

/**
 * A patient's dose history for whom libs/access allows it, decided and audited; anyone else gets
 * 404, as for an unknown patient. GET /patients/{key}/dose-history and the physicist's console.
 */
export async function patientDoseHistory(access: AccessService, history: PatientHistoryService, req: Request, raw: string, windowMonths?: number[]): Promise<PatientDoseHistory> {
  let key;
  try {
    key = parsePatientKey(raw);
  } catch (e) {
    if (e instanceof InvalidPatientKeyError) throw new UnprocessableEntityException(e.message);
    throw e;
  }
  const decision = await access.authorizeDose(accessContext(req), 'read-metadata', key, raw);
  if (!decision.allowed) throw new NotFoundException(`patientKey: no patient ${raw} in the catalogue`);
  const found = await history.history(key, windowMonths);
  if (!found) throw new NotFoundException(`patientKey: no patient ${raw} in the catalogue`);
  return found;
}
