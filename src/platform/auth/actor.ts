/**
 * Who is acting. Every service function takes the actor explicitly, so the HTTP layer, jobs and
 * the CLI go through the same checks. The identity module fills in users; the platform knows only
 * these shapes.
 */
export type Actor =
  | { type: "anonymous" }
  | { type: "system"; name: string }
  | { type: "cli"; name: string }
  | {
      type: "user";
      userId: string;
      username: string;
      roles: string[];
      agencyCode: string | null;
      /** Assurance level: 0 password only, 1 or 2 as VNeID. */
      loa: number;
    };

export const anonymous: Actor = { type: "anonymous" };

export function systemActor(name: string): Actor {
  return { type: "system", name };
}

/** A stable, non-personal reference to the actor for audit entries and histories. */
export function actorRef(actor: Actor): string {
  switch (actor.type) {
    case "anonymous":
      return "anonymous";
    case "system":
      return `system:${actor.name}`;
    case "cli":
      return `cli:${actor.name}`;
    case "user":
      return `user:${actor.userId}`;
  }
}
