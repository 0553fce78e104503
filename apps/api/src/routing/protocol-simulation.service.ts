import { Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { ProtocolDocument, ProtocolValidationError } from '@krypton/protocol';
import { ProtocolIdMismatchError, ProtocolNotFoundError, ProtocolStore, simulate, StudyFactsReader } from '@krypton/routing';
import { protocolInput } from './protocol-body';
import type { SimulateDto } from './simulate.dto';

/** The store's typed errors as HTTP statuses: 422 for what the administrator must correct, 404 for an unknown protocol. */
export function protocolHttpError(e: unknown): never {
  if (e instanceof ProtocolValidationError) throw new UnprocessableEntityException({ error: 'invalid protocol', errors: e.issues, status: 422 });
  if (e instanceof ProtocolIdMismatchError) throw new UnprocessableEntityException(e.message);
  if (e instanceof ProtocolNotFoundError) throw new NotFoundException(e.message);
  throw e;
}

/**
 * Replays the catalogue of the last N days through a draft or a stored version: the protocol
 * editor of the REST API and of the administrator's console.
 */
@Injectable()
export class ProtocolSimulation {
  constructor(
    private readonly protocols: ProtocolStore,
    private readonly facts: StudyFactsReader,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
  ) {}

  async run(body: SimulateDto) {
    let doc: ProtocolDocument;
    let source: { protocolId: string; version: number } | null = null;
    if (body.protocol !== undefined) {
      const result = this.protocols.validate(protocolInput(body.protocol));
      if (!result.ok) throw new UnprocessableEntityException({ error: 'invalid protocol', errors: result.issues, status: 422 });
      doc = result.protocol;
    } else {
      const id = body.protocolId as string;
      try {
        const v = body.version !== undefined ? await this.protocols.version(id, body.version) : ((await this.protocols.versions(id)).find((x) => x.live) ?? (await this.protocols.versions(id))[0]);
        doc = v.document;
        source = { protocolId: v.id, version: v.version };
      } catch (e) {
        protocolHttpError(e);
      }
    }
    const days = body.days ?? 30;
    const studies = await this.facts.recent(days, this.cfg.routing.simulateMaxStudies);
    return { days, source, ...simulate(doc, studies, this.cfg.dicom.timeZone, body.list ?? 1000) };
  }
}
