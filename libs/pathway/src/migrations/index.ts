import { ExamRequests1766000000000 } from './1766000000000-exam-requests';
import { Mpps1766200000000 } from './1766200000000-mpps';
import { PathwaySteps1766400000000 } from './1766400000000-pathway-steps';
import { MppsMatchRedrive1767400000001 } from './1767400000001-mpps-match-redrive';
import { ExamRequestNotify1767710000000 } from './1767710000000-exam-request-notify';
import { ExamPriors1767740000000 } from './1767740000000-exam-priors';

/** The pathway's migrations (requests, worklist, MPPS, timeline, reading tasks, access, change notifications, priors), in order. */
export const PATHWAY_MIGRATIONS = [ExamRequests1766000000000, Mpps1766200000000, PathwaySteps1766400000000, MppsMatchRedrive1767400000001, ExamRequestNotify1767710000000, ExamPriors1767740000000];
