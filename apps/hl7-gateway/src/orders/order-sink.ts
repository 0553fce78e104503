import type { NewRequest, RequestPriority } from '@krypton/pathway';

export const ORDER_SINK = Symbol('ORDER_SINK');

/**
 * Where the gateway hands the orders it accepted. An interface rather than RequestService itself,
 * so that the gateway's handling (journal, duplicates, ACK codes) is tested without Temporal.
 * Both operations must be idempotent: a resent order after a lost ACK reaches them again.
 *
 * Implementations throw Hl7Error for a problem the sender must fix (AE), anything else for a
 * problem on the hub's side (AR, the sender retries).
 */
export interface OrderSink {
  /** `warnings`: what the sender should know although the order is accepted (recent equivalent exams), sent as ERR severity W. */
  create(request: NewRequest): Promise<{ readonly id: string; readonly created: boolean; readonly warnings?: readonly string[] }>;
  /** Withdraws the order; `cancelled: false` when it had already ended (a resent cancel). */
  cancel(placerSystem: string, placerOrderNumber: string, reason: string | undefined): Promise<{ readonly id: string; readonly cancelled: boolean }>;
  /** Changes the order in flight (ORC-1=XO); a resent change applies the same values again. */
  change(placerSystem: string, placerOrderNumber: string, change: OrderChange): Promise<{ readonly id: string }>;
}

export interface OrderChange {
  readonly priority?: RequestPriority;
  readonly procedureCode?: string;
  readonly clinicalInformation?: string;
}
