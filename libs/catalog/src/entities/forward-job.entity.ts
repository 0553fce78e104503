import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A queryable mirror of one forwarding workflow, and the durable record of which instances already
 * reached the destination: a retried activity reads it so that nothing is sent twice after success.
 */
@Entity('forward_job')
export class ForwardJobEntity {
  /** The Temporal workflow id. */
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'study_uid', type: 'text' })
  studyUid: string;

  @Column({ type: 'text' })
  destination: string;

  @Column({ name: 'requested_by', type: 'text', nullable: true })
  requestedBy: string | null;

  @Column({ type: 'text' })
  state: string;

  @Column({ type: 'integer', default: 0 })
  total: number;

  @Column({ type: 'integer', default: 0 })
  sent: number;

  @Column({ type: 'integer', default: 0 })
  failed: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('forward_item')
export class ForwardItemEntity {
  @PrimaryColumn({ name: 'job_id', type: 'text' })
  jobId: string;

  @PrimaryColumn({ name: 'sop_instance_uid', type: 'text' })
  sopInstanceUid: string;

  /** 'sent' or 'refused' (a permanent failure status from the destination). */
  @Column({ type: 'text' })
  outcome: string;

  @Column({ type: 'integer', nullable: true })
  status: number | null;

  @Column({ type: 'text', nullable: true })
  detail: string | null;

  @Column({ name: 'at', type: 'timestamptz' })
  at: Date;
}
