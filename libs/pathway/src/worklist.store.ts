import { Inject, Injectable } from '@nestjs/common';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { buildWorklistQuery, MAX_WORKLIST_RESULTS, WorklistCondition } from './worklist-query';
import type { WorklistRow } from './worklist-row';

/** The worklist holds more matches than one answer may carry (C-FIND 0xA700, "narrow the query"). */
export class TooManyWorklistMatchesError extends Error {
  constructor(public readonly limit: number) {
    super(`more than ${limit} worklist matches: narrow the query`);
    this.name = 'TooManyWorklistMatchesError';
  }
}

/** Reads `worklist_item` (written by the pathway's schedule activity, deleted on cancel). */
@Injectable()
export class WorklistStore {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
  ) {}

  /** @throws TooManyWorklistMatchesError, InvalidMatchKeyError */
  async find(conditions: readonly WorklistCondition[], site?: string): Promise<WorklistRow[]> {
    const q = buildWorklistQuery(conditions, this.cfg.dicom.timeZone, site);
    const rows: WorklistRow[] = await this.ds.query(q.text, q.values);
    if (rows.length > MAX_WORKLIST_RESULTS) throw new TooManyWorklistMatchesError(MAX_WORKLIST_RESULTS);
    return rows;
  }
}
