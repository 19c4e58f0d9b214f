// Composing the modules: each module's services are built from the platform and the services of the
// modules listed before it; its jobs, schedules and listeners are registered; what the web app, the CLI and
// the seeds need of it is kept beside it.
import type { Command } from "./cli.ts";
import type { Seed } from "./db/seeds.ts";
import type { EventName } from "./events.ts";
import type { Messages, ModuleDefinition, NavEntry, Platform, Services } from "./module.ts";

/** A module once composed: its definition and what its parts are given. */
export interface ComposedModule {
  readonly definition: ModuleDefinition;
  /** The platform, the services it needs, its own services and its parts. */
  readonly deps: Platform & Partial<Services> & Record<string, unknown>;
}

export interface Composition {
  /** Every module's services, by name. */
  services: Partial<Services>;
  modules: readonly ComposedModule[];
}

/**
 * Builds the modules in the order given. Throws when two modules share a name or a service, or when a
 * module needs a service no module before it provides.
 */
export function composeModules(platform: Platform, list: readonly ModuleDefinition[]): Composition {
  const services: Record<string, unknown> = {};
  const providedBy = new Map<string, string>();
  const names = new Set<string>();
  const modules: ComposedModule[] = [];

  for (const definition of list) {
    const { spec } = definition;
    if (names.has(spec.name)) throw new Error(`module "${spec.name}" is listed twice`);
    names.add(spec.name);
    const given: Record<string, unknown> = {};
    for (const need of spec.needs) {
      if (!providedBy.has(need)) throw new Error(`module "${spec.name}" needs the service "${need}", which no module listed before it provides`);
      given[need] = services[need];
    }
    const own = spec.build({ ...platform, ...given } as Parameters<typeof spec.build>[0]) as Record<string, unknown>;
    const built = Object.keys(own).sort().join(", ");
    if (built !== [...spec.provides].sort().join(", ")) throw new Error(`module "${spec.name}" provides [${spec.provides.join(", ")}] but built [${built}]`);
    for (const [name, service] of Object.entries(own)) {
      const other = providedBy.get(name);
      if (other) throw new Error(`modules "${other}" and "${spec.name}" both provide the service "${name}"`);
      providedBy.set(name, spec.name);
      services[name] = service;
    }
    const base = { ...platform, ...given, ...own };
    const parts = spec.parts ? (spec.parts(base as Parameters<NonNullable<typeof spec.parts>>[0]) as Record<string, unknown>) : {};
    const deps = { ...base, ...parts } as ComposedModule["deps"];
    type Deps = Parameters<NonNullable<typeof spec.jobs>>[0];

    if (spec.jobs) platform.jobs.register(...spec.jobs(deps as Deps));
    for (const [job, cron] of Object.entries(spec.schedules ?? {})) platform.jobs.schedule(job, cron);
    for (const [event, listenerOf] of Object.entries(spec.listens ?? {}) as Array<[EventName, (d: Deps) => never]>) {
      platform.events.listen(event, listenerOf(deps as Deps));
    }
    modules.push({ definition, deps });
  }
  return { services: services as Partial<Services>, modules };
}

/** Every module's seeds, in the modules' order. */
export function seedsOf(modules: readonly ComposedModule[]): Seed[] {
  return modules.flatMap((m) => m.definition.spec.seeds?.(m.deps as never) ?? []);
}

/** A command with the module that runs it: `run` is given what the module's parts are. */
export interface BoundCommand {
  module: string;
  command: Command<never>;
  run(args: string[], out: Parameters<Command<never>["run"]>[2]): Promise<number>;
}

/** Every module's commands, each bound to what its module gives it. */
export function commandsOf(modules: readonly ComposedModule[]): BoundCommand[] {
  return modules.flatMap((m) =>
    (m.definition.spec.commands ?? []).map((command) => ({
      module: m.definition.name,
      command: command as Command<never>,
      run: (args: string[], out: Parameters<Command<never>["run"]>[2]) => command.run(m.deps as never, args, out),
    })),
  );
}

/** Every module's menu entries, in their order. */
export function navOf(list: readonly ModuleDefinition[]): NavEntry[] {
  return list.flatMap((m) => m.spec.nav ?? []).sort((a, b) => a.order - b.order);
}

/** Every module's text tables (`messages`), in the modules' order. */
export function messagesOf(list: readonly ModuleDefinition[]): Messages[] {
  return list.flatMap((m) => (m.spec.messages ? [m.spec.messages] : []));
}
