import { Catalog1764288000000 } from './1764288000000-catalog';
import { DoseRegistry1765000000000 } from './1765000000000-dose-registry';
import { ExamRequests1766000000000 } from './1766000000000-exam-requests';
import { Hl7Messages1766100000000 } from './1766100000000-hl7-messages';
import { Mpps1766200000000 } from './1766200000000-mpps';
import { Reports1766300000000 } from './1766300000000-reports';
import { PathwaySteps1766400000000 } from './1766400000000-pathway-steps';

/** Every migration, in order. New migrations are appended here so builds need no glob at run time. */
export const MIGRATIONS = [
  Catalog1764288000000,
  DoseRegistry1765000000000,
  ExamRequests1766000000000,
  Hl7Messages1766100000000,
  Mpps1766200000000,
  Reports1766300000000,
  PathwaySteps1766400000000,
];
