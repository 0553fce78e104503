import { Injectable } from '@nestjs/common';
import { HL7_ERROR_CODES, Hl7Error } from '@krypton/hl7';
import { NewRequest, PathwayStateError, RequestService, RequestValidationError } from '@krypton/requests';
import { OrderSink } from './order-sink';

/** The production OrderSink: orders become exam requests and start their pathway. */
@Injectable()
export class RequestOrderSink implements OrderSink {
  constructor(private readonly requests: RequestService) {}

  async create(request: NewRequest): Promise<{ id: string; created: boolean }> {
    try {
      const r = await this.requests.create(request);
      return { id: r.id, created: r.created };
    } catch (e) {
      if (e instanceof RequestValidationError) throw new Hl7Error(HL7_ERROR_CODES.applicationInternal, `request refused: ${e.message}`);
      throw e;
    }
  }

  async cancel(placerSystem: string, placerOrderNumber: string, reason: string | undefined): Promise<{ id: string; cancelled: boolean }> {
    const found = (await this.requests.list({ placerOrderNumber })).find((r) => (r.placerSystem ?? '') === placerSystem);
    if (!found) {
      // Not AA: a cancel that overtook its order must not vanish; the sender sees it and resends.
      throw new Hl7Error(HL7_ERROR_CODES.applicationInternal, `no order ${placerOrderNumber} from ${placerSystem} to cancel`, { segment: 'ORC', field: 2 });
    }
    try {
      await this.requests.cancel(found.id, placerSystem, reason ?? null);
      return { id: found.id, cancelled: true };
    } catch (e) {
      // Already cancelled or closed: the cancel has nothing left to do, which is success for the sender.
      if (e instanceof PathwayStateError) return { id: found.id, cancelled: false };
      throw e;
    }
  }
}
