import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { GrantRights } from '@krypton/access';

export type NotifyState = 'pending' | 'sent' | 'failed' | 'no-address' | 'no-relay';

/** A share as the API shows it. */
export interface Share {
  readonly id: string;
  readonly studyInstanceUids: string[];
  /** The patient named when the share was made for a patient's exams; null for one study. */
  readonly patient: string | null;
  readonly to: { readonly kind: 'rpps' | 'site' | 'organisation' | 'pool'; readonly value: string };
  readonly rights: GrantRights;
  readonly message: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
  readonly notification: { readonly state: NotifyState; readonly to: string[]; readonly at: string | null; readonly error: string | null };
}

export interface NewShare {
  readonly id: string;
  readonly studyUids: readonly string[];
  readonly patient: string | null;
  readonly recipientKind: 'rpps' | 'site' | 'organisation' | 'pool';
  readonly recipient: string;
  readonly grantees: readonly string[];
  readonly rights: GrantRights;
  readonly message: string | null;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly notifyTo: readonly string[];
}

interface ShareRow {
  id: string;
  study_uids: string[];
  patient: string | null;
  recipient_kind: 'rpps' | 'site' | 'organisation' | 'pool';
  recipient: string;
  rights: GrantRights;
  message: string | null;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  notify_state: NotifyState;
  notify_to: string[];
  notified_at: Date | null;
  notify_error: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toShare(r: ShareRow): Share {
  return {
    id: r.id,
    studyInstanceUids: r.study_uids,
    patient: r.patient,
    to: { kind: r.recipient_kind, value: r.recipient },
    rights: r.rights,
    message: r.message,
    createdBy: r.created_by,
    createdAt: iso(r.created_at) as string,
    expiresAt: iso(r.expires_at) as string,
    revokedAt: iso(r.revoked_at),
    revokedBy: r.revoked_by,
    notification: { state: r.notify_state, to: r.notify_to, at: iso(r.notified_at), error: r.notify_error },
  };
}

/** The `share` table (libs/sharing owns it). */
@Injectable()
export class ShareStore {
  constructor(@InjectDataSource() readonly ds: DataSource) {}

  async insert(s: NewShare, em: EntityManager): Promise<void> {
    await em.query(
      `INSERT INTO share (id, study_uids, patient, recipient_kind, recipient, grantees, rights, message, created_by, created_at, expires_at, notify_to)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [s.id, s.studyUids, s.patient, s.recipientKind, s.recipient, s.grantees, s.rights, s.message, s.createdBy, s.createdAt, s.expiresAt, s.notifyTo],
    );
  }

  async get(id: string): Promise<Share | null> {
    const [r] = await this.ds.query(`SELECT * FROM share WHERE id = $1`, [id]);
    return r ? toShare(r) : null;
  }

  /** Marks a share revoked (first revocation wins); false when it already was. */
  async revoke(id: string, by: string, at: Date, em: EntityManager): Promise<boolean> {
    const [, n] = await em.query(`UPDATE share SET revoked_at = $3, revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, by, at]);
    return n > 0;
  }

  async ofStudy(studyUid: string): Promise<Share[]> {
    const rows: ShareRow[] = await this.ds.query(`SELECT * FROM share WHERE study_uids @> ARRAY[$1]::text[] ORDER BY created_at DESC`, [studyUid]);
    return rows.map(toShare);
  }

  async madeBy(user: string, limit: number, offset: number): Promise<Share[]> {
    const rows: ShareRow[] = await this.ds.query(`SELECT * FROM share WHERE created_by = $1 ORDER BY created_at DESC LIMIT $2 OFFSET $3`, [user, limit, offset]);
    return rows.map(toShare);
  }

  async notified(id: string, state: NotifyState, at: Date, error: string | null = null): Promise<void> {
    await this.ds.query(`UPDATE share SET notify_state = $2, notified_at = $3, notify_error = $4 WHERE id = $1`, [id, state, at, error]);
  }
}
