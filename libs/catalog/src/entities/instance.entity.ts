import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('instance')
export class InstanceEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'sop_instance_uid', type: 'text', unique: true })
  sopInstanceUid: string;

  @Column({ name: 'series_fk', type: 'bigint' })
  seriesFk: string;

  @Column({ name: 'sop_class_uid', type: 'text' })
  sopClassUid: string;

  @Column({ name: 'instance_number', type: 'integer', nullable: true })
  instanceNumber: number | null;

  @Column({ name: 'transfer_syntax_uid', type: 'text' })
  transferSyntaxUid: string;

  /** Key of the Part 10 file in object storage (relative to the storage root). */
  @Column({ name: 'storage_key', type: 'text' })
  storageKey: string;

  @Column({ name: 'file_size', type: 'bigint' })
  fileSize: string;

  @Column({ type: 'integer', nullable: true })
  rows: number | null;

  @Column({ type: 'integer', nullable: true })
  columns: number | null;

  @Column({ name: 'number_of_frames', type: 'integer', nullable: true })
  numberOfFrames: number | null;

  @Column({ name: 'source_ae', type: 'text', nullable: true })
  sourceAe: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}
