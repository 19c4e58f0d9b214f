// Published events: a module announces what happened (a dossier moved on) and other modules act on it in
// the same transaction (queue a mail, update a rollup), without knowing each other's tables.
import type { Db } from "./db/index.ts";

/**
 * Events by name with their payload. The publishing module declares its own (declaration merging in its
 * `index.ts`), so listeners are typed by the event's name:
 *
 *     declare module "../../platform/events.ts" { interface EventMap { "dossiers.transition": DossierTransition } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the modules
export interface EventMap {}

export type EventName = keyof EventMap & string;

/** Runs in the publisher's transaction; a throw rolls the whole change back. */
export type EventListener<E extends EventName> = (tx: Db, event: EventMap[E]) => Promise<void>;

export interface EventBus {
  /** Calls every listener of `name`, one after the other, in the order the modules are listed. */
  publish<E extends EventName>(tx: Db, name: E, event: EventMap[E]): Promise<void>;
  /** Whether anything listens to `name` (a publisher may skip building an event nobody reads). */
  heard(name: EventName): boolean;
  /** Adds a listener; done when the modules are composed, before anything is published. */
  listen<E extends EventName>(name: E, listener: EventListener<E>): void;
}

export function createEventBus(): EventBus {
  const listeners = new Map<string, Array<EventListener<never>>>();
  return {
    async publish(tx, name, event) {
      for (const listener of listeners.get(name) ?? []) await (listener as EventListener<typeof name>)(tx, event);
    },
    heard: (name) => (listeners.get(name)?.length ?? 0) > 0,
    listen(name, listener) {
      const list = listeners.get(name) ?? [];
      list.push(listener as EventListener<never>);
      listeners.set(name, list);
    },
  };
}
