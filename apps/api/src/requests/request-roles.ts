/** Who may submit and cancel requests: referrers, and the coordinators acting for them. */
export const SUBMIT_ROLES = ['referrer', 'coordinator', 'admin'];
/**
 * Who may read requests. A referrer currently sees every request: restricting them to their own
 * (and a site to its own) is the authorization model's next step, at the guard.
 */
export const READ_ROLES = ['referrer', 'coordinator', 'admin', 'radiologist', 'site'];
