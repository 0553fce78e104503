import { Injectable } from '@nestjs/common';
import { HL7_ERROR_CODES, Hl7Error } from '@krypton/hl7';
import { describeEquivalentExam, NewRequest, PathwayStateError, RequestService, RequestValidationError, type RequestView } from '@krypton/pathway';
import { OrderChange, OrderSink } from './order-sink';

/** The production OrderSink: orders become exam requests and start their pathway. */
@Injectable()
export class RequestOrderSink implements OrderSink {
  constructor(private readonly requests: RequestService) {}

  async create(request: NewRequest): Promise<{ id: string; created: boolean; warnings: string[] }> {
    try {
      const r = await this.requests.create(request);
      return { id: r.id, created: r.created, warnings: r.recentEquivalentExams.map(describeEquivalentExam) };
    } catch (e) {
      if (e instanceof RequestValidationError) throw new Hl7Error(HL7_ERROR_CODES.applicationInternal, `request refused: ${e.message}`);
      throw e;
    }
  }

  async cancel(placerSystem: string, placerOrderNumber: string, reason: string | undefined): Promise<{ id: string; cancelled: boolean }> {
    const found = await this.order(placerSystem, placerOrderNumber, 'cancel');
    try {
      await this.requests.cancel(found.id, placerSystem, reason ?? null);
      return { id: found.id, cancelled: true };
    } catch (e) {
      // Already cancelled or closed: the cancel has nothing left to do, which is success for the sender.
      if (e instanceof PathwayStateError) return { id: found.id, cancelled: false };
      throw e;
    }
  }

  async change(placerSystem: string, placerOrderNumber: string, change: OrderChange): Promise<{ id: string }> {
    const found = await this.order(placerSystem, placerOrderNumber, 'change');
    try {
      // Role `placer`: the order's own system, allowed to change it until the report is signed.
      await this.requests.change(found.id, { ...change, by: placerSystem, roles: ['placer'] });
      return { id: found.id };
    } catch (e) {
      // Reported, closed or cancelled: the sender must know its change was not applied (AE, not AA).
      if (e instanceof PathwayStateError) throw new Hl7Error(HL7_ERROR_CODES.applicationInternal, `order ${placerOrderNumber} can no longer be changed: ${e.message}`, { segment: 'ORC', field: 1 });
      if (e instanceof RequestValidationError) throw new Hl7Error(HL7_ERROR_CODES.applicationInternal, `change refused: ${e.message}`, { segment: 'OBR' });
      throw e;
    }
  }

  /** The request an order control names; an unknown one is AE (a control that overtook its order must not vanish: the sender resends). */
  private async order(placerSystem: string, placerOrderNumber: string, what: string): Promise<RequestView> {
    const found = (await this.requests.list({ placerOrderNumber })).find((r) => (r.placerSystem ?? '') === placerSystem);
    if (!found) throw new Hl7Error(HL7_ERROR_CODES.applicationInternal, `no order ${placerOrderNumber} from ${placerSystem} to ${what}`, { segment: 'ORC', field: 2 });
    return found;
  }
}
