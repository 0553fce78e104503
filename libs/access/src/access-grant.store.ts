import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { GrantRights } from './exam-facts';

/** Grants to write: one row per study × grantee, all made by one act (`origin`). */
export interface NewGrants {
  readonly studyUids: readonly string[];
  readonly grantees: readonly string[];
  readonly kind: string;
  readonly reason: string;
  readonly grantedBy: string;
  readonly expiresAt: Date | null;
  readonly rights: GrantRights | null;
  /** `share:<id>`, `link:<id>`: revoking that act revokes these grants. */
  readonly origin: string;
}

/**
 * The only writer of `access_grant` besides break-the-glass: the libs that make grants (sharing)
 * go through it, so the table keeps one owner and one shape.
 */
@Injectable()
export class AccessGrantStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Writes the grants (in the caller's transaction when given one); returns how many. */
  async grant(g: NewGrants, em: EntityManager = this.ds.manager): Promise<number> {
    const rows = g.studyUids.flatMap((study) => g.grantees.map((grantee) => [randomUUID(), study, grantee]));
    if (!rows.length) return 0;
    await em.query(
      `INSERT INTO access_grant (id, study_uid, grantee, kind, reason, granted_by, expires_at, rights, origin)
       SELECT r.id::uuid, r.study, r.grantee, $4, $5, $6, $7, $8, $9 FROM unnest($1::text[], $2::text[], $3::text[]) AS r(id, study, grantee)`,
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), g.kind, g.reason, g.grantedBy, g.expiresAt, g.rights, g.origin],
    );
    return rows.length;
  }

  /** Revokes every grant of one act at `at`; the next decision (the viewer's next request) no longer sees them. */
  async revokeOrigin(origin: string, at: Date, em: EntityManager = this.ds.manager): Promise<number> {
    const [, n] = await em.query(`UPDATE access_grant SET revoked_at = $2 WHERE origin = $1 AND revoked_at IS NULL`, [origin, at]);
    return n;
  }
}
