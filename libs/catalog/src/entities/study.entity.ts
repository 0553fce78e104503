import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('study')
export class StudyEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'study_uid', type: 'text', unique: true })
  studyUid: string;

  @Column({ name: 'patient_fk', type: 'bigint' })
  patientFk: string;

  @Column({ name: 'study_date', type: 'text', nullable: true })
  studyDate: string | null;

  @Column({ name: 'study_time', type: 'text', nullable: true })
  studyTime: string | null;

  @Column({ name: 'accession_number', type: 'text', nullable: true })
  accessionNumber: string | null;

  @Column({ name: 'study_id', type: 'text', nullable: true })
  studyId: string | null;

  @Column({ name: 'study_description', type: 'text', nullable: true })
  studyDescription: string | null;

  @Column({ name: 'referring_physician', type: 'text', nullable: true })
  referringPhysician: string | null;

  @Column({ name: 'source_ae', type: 'text', nullable: true })
  sourceAe: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Set when the quiet period after the last instance has passed. */
  @Column({ name: 'stable_at', type: 'timestamptz', nullable: true })
  stableAt: Date | null;
}
