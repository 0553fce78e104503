import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One patient as known by one issuer; the national INS, when known, links the records of several issuers. */
@Entity('patient')
@Index(['patientId', 'issuer'], { unique: true })
export class PatientEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'patient_id', type: 'text' })
  patientId: string;

  /** Issuer of Patient ID (0010,0021); empty when the sender gave none. */
  @Column({ type: 'text', default: '' })
  issuer: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ name: 'birth_date', type: 'text', nullable: true })
  birthDate: string | null;

  @Column({ type: 'text', nullable: true })
  sex: string | null;

  /** National health identifier (INS-NIR), from Other Patient IDs with the INS issuer. */
  @Column({ type: 'text', nullable: true })
  ins: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
