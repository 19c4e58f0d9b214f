/** The source of "now"; tests pass a fixed or movable clock. */
export interface Clock {
  now(): Date;
  /**
   * Waits `ms` of this clock's time (the sign-in's slowdown): the system clock on a timer; a test's clock moves
   * itself on and returns at once. Without it, `waitOn` waits on a timer.
   */
  sleep?(ms: number): Promise<void>;
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const systemClock: Clock = { now: () => new Date(), sleep: timer };

/** Waits `ms` on `clock` (its own `sleep`, else a timer). */
export function waitOn(clock: Clock, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return clock.sleep ? clock.sleep(ms) : timer(ms);
}

/** A clock that stays where it is put, for tests; waiting on it moves it on. */
export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let t = new Date(at).getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
    sleep: async (ms) => {
      t += ms;
    },
  };
}
