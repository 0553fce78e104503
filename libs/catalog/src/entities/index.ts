import { PatientEntity } from './patient.entity';
import { StudyEntity } from './study.entity';
import { SeriesEntity } from './series.entity';
import { InstanceEntity } from './instance.entity';
import { ForwardItemEntity, ForwardJobEntity } from './forward-job.entity';

export { PatientEntity, StudyEntity, SeriesEntity, InstanceEntity, ForwardItemEntity, ForwardJobEntity };

export const CATALOG_ENTITIES = [PatientEntity, StudyEntity, SeriesEntity, InstanceEntity, ForwardJobEntity, ForwardItemEntity];
