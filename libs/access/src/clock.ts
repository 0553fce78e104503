/**
 * Where the decision point and sharing read the time. Expiry is decided against this, never
 * against the database's now(), so that a test (or a replay of a past decision) can move it.
 */
export interface Clock {
  now(): Date;
}

export const ACCESS_CLOCK = Symbol('krypton:access-clock');

export const SYSTEM_CLOCK: Clock = { now: () => new Date() };
