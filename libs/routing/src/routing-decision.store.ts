import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface RoutingDecisionView {
  readonly protocolId: string;
  readonly protocolVersion: number;
  readonly stableCount: number;
  readonly rules: string[];
  readonly destinations: string[];
  readonly fetchPriors: boolean;
  readonly decidedAt: string;
}

/** Why copies of a study left: which protocol version decided what, each time the study became stable. */
@Injectable()
export class RoutingDecisionStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async record(studyUid: string, protocolId: string, version: number, stableCount: number, rules: string[], destinations: string[], fetchPriors: boolean): Promise<void> {
    await this.ds.query(
      `INSERT INTO routing_decision (study_uid, protocol_id, protocol_version, stable_count, rules, destinations, fetch_priors)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [studyUid, protocolId, version, stableCount, rules, destinations, fetchPriors],
    );
  }

  async forStudy(studyUid: string): Promise<RoutingDecisionView[]> {
    const rows = await this.ds.query(
      `SELECT protocol_id AS "protocolId", protocol_version AS "protocolVersion", stable_count AS "stableCount", rules, destinations,
              fetch_priors AS "fetchPriors", decided_at AS "decidedAt"
         FROM routing_decision WHERE study_uid = $1 ORDER BY decided_at`,
      [studyUid],
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw SQL row
    return rows.map((r: any) => ({ ...r, decidedAt: new Date(r.decidedAt).toISOString() }));
  }
}
