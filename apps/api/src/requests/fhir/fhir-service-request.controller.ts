import { Body, Controller, HttpException, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal } from '@krypton/auth';
import { Access } from '@krypton/access';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { CreatedRequest, describeEquivalentExam, RequestService, RequestValidationError } from '@krypton/pathway';
import { toHttpError } from '../request-http-errors';
import { FhirInputError, operationOutcome } from './operation-outcome';
import { fhirPathOf, mapServiceRequest } from './service-request.mapper';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/**
 * FHIR R4 `ServiceRequest` create. The body is validated by the mapper, not by class-validator,
 * so that every refusal is an OperationOutcome naming the FHIRPath the client wrote.
 */
@ApiTags('fhir')
@ApiBearerAuth()
@Controller('fhir')
export class FhirServiceRequestController {
  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly requests: RequestService,
  ) {}

  @Post('ServiceRequest')
  @Access('request', 'write')
  @ApiOperation({ summary: 'Create an exam request from a FHIR R4 ServiceRequest (JSON); errors are OperationOutcomes' })
  @ApiBody({ schema: { type: 'object', description: 'FHIR R4 ServiceRequest' } })
  async create(@Body() body: unknown, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    res.setHeader('Content-Type', FHIR_JSON);
    let created: CreatedRequest;
    try {
      created = await this.requests.create(mapServiceRequest(body, { client: who.name, sites: this.cfg.sites }));
    } catch (e) {
      throw this.outcome(e);
    }
    // A resent ServiceRequest (same identifier) is the existing one: 200, as a FHIR conditional create answers.
    res.status(created.created ? 201 : 200).location(`/fhir/ServiceRequest/${created.id}`);
    return {
      resourceType: 'ServiceRequest',
      id: created.id,
      status: created.state === 'cancelled' ? 'revoked' : 'active',
      intent: 'order',
      identifier: [
        ...(created.placerOrderNumber
          ? [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'PLAC' }] }, system: created.placerSystem ?? undefined, value: created.placerOrderNumber }]
          : []),
        ...(created.accessionNumber ? [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] }, value: created.accessionNumber }] : []),
      ],
      code: { coding: [{ code: created.procedure.code, display: created.procedure.label ?? undefined }] },
      priority: created.priority === 'emergency' ? 'stat' : created.priority,
      // Recent equivalent exams of the patient in the region, for the referrer to reconsider.
      ...(created.recentEquivalentExams.length ? { note: created.recentEquivalentExams.map((e) => ({ text: describeEquivalentExam(e) })) } : {}),
    };
  }

  private outcome(e: unknown): unknown {
    if (e instanceof FhirInputError) return new HttpException(e.toOutcome(), 400);
    if (e instanceof RequestValidationError) return new HttpException(operationOutcome('invalid', e.message, fhirPathOf(e.field)), 422);
    const http = toHttpError(e);
    if (http instanceof HttpException) return new HttpException(operationOutcome('exception', http.message), http.getStatus());
    return http;
  }
}
