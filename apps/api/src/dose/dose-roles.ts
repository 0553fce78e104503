/** Who may read the site analyses (and the alert list): the physicists, admins and coordinators. */
export const ANALYSIS_ROLES = ['physicist', 'admin', 'coordinator'];
