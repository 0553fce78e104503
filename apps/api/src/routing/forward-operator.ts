import { ConflictException, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ForwardJobService } from '@krypton/catalog';
import { findRoutingDestination, KryptonConfig } from '@krypton/config';
import { operatorActionUpdate, type OperatorAction } from '@krypton/workflows/routing';
import type { OperatorActionDto } from './operator-action.dto';

/** What waits for a destination and why: GET /destinations/{id}/queue and the coordinator's console. */
export async function destinationQueue(cfg: KryptonConfig, jobs: ForwardJobService, id: string) {
  const dest = findRoutingDestination(cfg, id);
  if (!dest) throw new NotFoundException(`no destination ${id}`);
  const waiting = await jobs.queue(dest.name);
  return {
    destination: dest.name,
    maxAssociations: dest.maxAssociations ?? 2,
    protocol: dest.protocol,
    storageCommitment: dest.storageCommitment ?? false,
    waiting: waiting.map((j) => ({ ...j, remaining: Math.max(0, j.total - j.sent - j.failed) })),
  };
}

/**
 * The operator's answer to a routing that failed for good (retry, skip, reroute), a Temporal
 * Update: POST /forwards/{id}/actions and the coordinator's console. 409 in any other state.
 */
export async function forwardOperatorAction(cfg: KryptonConfig, temporal: Client, id: string, body: OperatorActionDto) {
  let action: OperatorAction;
  if (body.action === 'reroute') {
    const dest = findRoutingDestination(cfg, body.destination as string);
    if (!dest) throw new UnprocessableEntityException(`destination: unknown destination "${body.destination}"`);
    action = { action: 'reroute', destination: dest.name };
  } else action = body.action === 'skip' ? { action: 'skip', reason: body.reason } : { action: 'retry' };
  const handle = temporal.workflow.getHandle(id);
  try {
    const progress = await handle.executeUpdate(operatorActionUpdate, { args: [action] });
    return { id, accepted: action, progress };
  } catch (e) {
    if (e instanceof WorkflowUpdateFailedError) throw new ConflictException(e.cause?.message ?? e.message);
    if (!(e instanceof WorkflowNotFoundError)) throw e;
    // A closed workflow takes no Update: it exists but nothing waits for an operator any more.
    const run = await handle.describe().catch(() => null);
    if (run) throw new ConflictException(`routing ${id} is finished (${run.status.name.toLowerCase()})`);
    throw new NotFoundException(`no routing ${id}`);
  }
}
