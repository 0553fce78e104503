import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('series')
export class SeriesEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'series_uid', type: 'text', unique: true })
  seriesUid: string;

  @Column({ name: 'study_fk', type: 'bigint' })
  studyFk: string;

  @Column({ type: 'text', nullable: true })
  modality: string | null;

  @Column({ name: 'series_number', type: 'integer', nullable: true })
  seriesNumber: number | null;

  @Column({ name: 'series_description', type: 'text', nullable: true })
  seriesDescription: string | null;

  @Column({ name: 'body_part', type: 'text', nullable: true })
  bodyPart: string | null;

  @Column({ name: 'station_name', type: 'text', nullable: true })
  stationName: string | null;

  @Column({ name: 'series_date', type: 'text', nullable: true })
  seriesDate: string | null;
}
