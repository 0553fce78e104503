import { RoutingProtocols1767500000000 } from './1767500000000-routing-protocols';

/** Protocol versions, routing decisions, protocol columns of forward_job, storage commitments. */
export const ROUTING_MIGRATIONS = [RoutingProtocols1767500000000];
