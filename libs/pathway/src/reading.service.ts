import { Inject, Injectable } from '@nestjs/common';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { claimReadingUpdate, releaseReadingUpdate, signReportUpdate, type PathwayStatus, type ReaderInput } from '@krypton/workflows/pathway';
import { PathwayStateError, RequestNotFoundError, RequestValidationError } from './request-errors';
import { ReadingStore, type ReadingTaskFilter, type ReadingTaskView, type ReportDraft } from './reading.store';
import { RequestService } from './request.service';
import { PriorStore, type PriorView } from './prior.store';

/** The reader as the API authenticated them. */
export type Reader = ReaderInput;

/**
 * Radiologists' side of the pathway: the worklist (from the mirror), and claim / release / sign,
 * which are Updates of the pathway workflow so exactly one radiologist holds a task and the caller
 * learns at once.
 */
@Injectable()
export class ReadingService {
  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly store: ReadingStore,
    private readonly requests: RequestService,
    private readonly priorStore: PriorStore,
  ) {}

  poolIds(): string[] {
    return this.cfg.pathway.reading.pools.map((p) => p.id);
  }

  list(f: ReadingTaskFilter): Promise<ReadingTaskView[]> {
    return this.store.list(f);
  }

  /** @throws RequestNotFoundError when there is no reading task for the request. */
  async get(requestId: string): Promise<ReadingTaskView> {
    const task = await this.store.get(requestId);
    if (!task) throw new RequestNotFoundError(requestId);
    return task;
  }

  /** The task with its priors (most relevant first), as the reading screen shows it. */
  async getWithPriors(requestId: string): Promise<ReadingTaskView & { readonly priors: PriorView[] }> {
    const task = await this.get(requestId);
    return { ...task, priors: await this.priorStore.list(requestId) };
  }

  /**
   * The exam's relevant priors (found when the request was scheduled and again when its images
   * arrived): `available` ones open in the viewer by Study Instance UID; `to-fetch`/`fetching` are
   * on their way from a site PACS; `failed` says why.
   * @throws RequestNotFoundError when there is no reading task for the request.
   */
  async priors(requestId: string): Promise<PriorView[]> {
    await this.get(requestId);
    return this.priorStore.list(requestId);
  }

  async claim(requestId: string, who: Reader): Promise<PathwayStatus> {
    return this.requests.updatePathway(await this.requests.mustGet(requestId), 'claim', claimReadingUpdate, who);
  }

  async release(requestId: string, who: Reader): Promise<PathwayStatus> {
    return this.requests.updatePathway(await this.requests.mustGet(requestId), 'release', releaseReadingUpdate, who);
  }

  /** @throws PathwayStateError unless the task is claimed by `who`. */
  async saveDraft(requestId: string, who: Reader, draft: ReportDraft): Promise<ReadingTaskView> {
    const task = await this.get(requestId);
    if (!(await this.store.saveDraft(requestId, who.by, draft))) {
      throw new PathwayStateError(requestId, 'save a draft', task.state, task.claimedBy ? `the task is claimed by ${task.claimedBy}` : 'claim the task before writing its report');
    }
    return this.get(requestId);
  }

  /**
   * Signs the report: text given here wins over the saved draft. Answers when the report is stored
   * and attached to the study.
   */
  async sign(requestId: string, who: Reader, text: ReportDraft): Promise<PathwayStatus> {
    const task = await this.get(requestId);
    const findings = text.findings ?? task.draft?.findings ?? '';
    const conclusion = text.conclusion ?? task.draft?.conclusion ?? '';
    const technique = text.technique ?? task.draft?.technique;
    if (!conclusion.trim()) throw new RequestValidationError('conclusion', 'a signed report needs a conclusion (in the request or the saved draft)');
    return this.requests.updatePathway(await this.requests.mustGet(requestId), 'sign', signReportUpdate, { ...who, findings, conclusion, ...(technique ? { technique } : {}) });
  }
}
