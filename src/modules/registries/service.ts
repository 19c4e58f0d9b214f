// The registries' use cases: look a person or a business up in a national registry through the gateway's
// connectors, for a purpose, on a legal basis and for a dossier, and record each look-up durably (this module's
// table and the audit log) before its answer is handed on. A registry that cannot answer gives a typed
// `registries.unavailable`: filing goes on without prefill, and nothing partial is ever returned.
import { Value } from "../../platform/typebox.ts";
import { type Actor, actorRef } from "../../platform/auth/actor.ts";
import type { Audit } from "../../platform/audit/index.ts";
import type { Clock } from "../../platform/clock.ts";
import type { RegistriesConfig } from "../../platform/config/index.ts";
import type { Database } from "../../platform/db/index.ts";
import { DomainError, type FieldProblem } from "../../platform/http/errors.ts";
import { checkCccd, checkTaxCode } from "../identity/index.ts";
import { InvalidLookup, RegistryLookupForbidden, RegistryUnavailable } from "./errors.ts";
import { type Connector, makeConnector } from "./gateway/connector.ts";
import type { RegistryName } from "./gateway/mapping.ts";
import { canLookUp } from "./policy.ts";
import * as repo from "./repo.ts";
import { type BusinessDto, type CitizenDto, type CivilEventsDto, LookupPurpose } from "./schema.ts";

export interface LookupMeta {
  requestId?: string | null;
  /** The caller's address, for the per-client limit (`limits.ts`). */
  client?: string | null;
  /** The look-up fills an applicant's draft with their consent (once-only). */
  prefill?: boolean;
}

/** Which look-ups about oneself to list (the data tracker's filters). */
export interface LookupFilter {
  from?: Date | undefined;
  to?: Date | undefined;
  agencyCode?: string | undefined;
  registry?: string | undefined;
  purpose?: string | undefined;
}

export interface RegistriesService {
  /** A citizen by CCCD, or null when the registry has none. Throws registries.forbidden, .invalid_lookup, .unavailable, .rate_limited. */
  lookupCitizen(actor: Actor, cccd: string, purpose: LookupPurpose, meta?: LookupMeta): Promise<CitizenDto | null>;
  /** A business by tax code, or null. Throws as `lookupCitizen`. */
  lookupBusiness(actor: Actor, taxCode: string, purpose: LookupPurpose, meta?: LookupMeta): Promise<BusinessDto | null>;
  /** A person's births and marriages in the civil-status register, or null when the person is unknown. Throws as `lookupCitizen`. */
  civilEvents(actor: Actor, cccd: string, purpose: LookupPurpose, meta?: LookupMeta): Promise<CivilEventsDto | null>;
  /** The look-ups about the signed-in citizen or business themselves, newest first (the data tracker's). */
  lookupsAboutMe(actor: Actor, filter?: LookupFilter): Promise<repo.LookupRow[]>;
  /** Each connector: configured or not, and its breaker's state. */
  status(): Record<RegistryName, { configured: boolean; breaker: "closed" | "open" | "half_open" | null }>;
}

export function makeConnectors(config: RegistriesConfig, clock: Clock): Partial<Record<RegistryName, Connector>> {
  const connectors: Partial<Record<RegistryName, Connector>> = {};
  for (const [name, connector] of Object.entries(config.connectors) as Array<[RegistryName, NonNullable<RegistriesConfig["connectors"][RegistryName]>]>) {
    connectors[name] = makeConnector(name, connector, { clock, breaker: config.breaker });
  }
  return connectors;
}

const REGISTRIES: readonly RegistryName[] = ["population", "business", "civil_status"];

export function makeRegistriesService(deps: {
  database: Database;
  clock: Clock;
  audit: Audit;
  connectors: Partial<Record<RegistryName, Connector>>;
  /** Lawful covert purposes and the days before each is disclosed (MOTCUA_REGISTRY_COVERT_PURPOSES). */
  covertPurposes?: Record<string, number>;
}): RegistriesService {
  const { database, clock, audit, connectors } = deps;
  const covertPurposes = deps.covertPurposes ?? {};

  /** When a covert look-up is disclosed to the person looked up; null for an ordinary one. Only an officer names a covert purpose. */
  const disclosure = (actor: Actor, subject: { id: string }, purpose: LookupPurpose, now: Date): Date | null => {
    if (purpose.covert === undefined) return null;
    const days = Object.hasOwn(covertPurposes, purpose.covert) ? covertPurposes[purpose.covert] : undefined;
    const officer = actor.type === "user" && actor.agencyCode !== null && actor.username !== subject.id;
    if (days === undefined || !officer) throw new InvalidLookup([{ path: "/covert", message: "Mục đích tra cứu không công khai không hợp lệ." }]);
    return new Date(now.getTime() + days * 86_400_000);
  };

  const checkPurpose = (purpose: LookupPurpose, problems: FieldProblem[]) => {
    for (const e of Value.Errors(LookupPurpose, purpose)) problems.push({ path: e.path, message: e.message });
    if (problems.length) throw new InvalidLookup(problems);
  };

  const subjectOf = (kind: "citizen" | "business", id: string): string => {
    const problems: FieldProblem[] = [];
    let subject = id;
    if (kind === "citizen") {
      const checked = checkCccd(id, { now: clock.now() });
      if (!checked.ok) problems.push({ path: "/cccd", message: `CCCD không hợp lệ (${checked.problem}).` });
    } else {
      const checked = checkTaxCode(id);
      if (checked.ok) subject = checked.compact;
      else problems.push({ path: "/taxCode", message: "Mã số thuế không hợp lệ." });
    }
    if (problems.length) throw new InvalidLookup(problems);
    return subject;
  };

  /** Asks the registry and records the look-up, whatever its outcome, before answering. */
  async function lookUp<T>(
    actor: Actor,
    registry: RegistryName,
    subject: { type: "citizen" | "business"; id: string },
    purpose: LookupPurpose,
    meta: LookupMeta,
    ask: (connector: Connector) => Promise<unknown>,
  ): Promise<T | null> {
    if (!canLookUp(actor, subject)) throw new RegistryLookupForbidden();
    const discloseAt = disclosure(actor, subject, purpose, clock.now());
    const connector = connectors[registry];
    let value: unknown = null;
    let failure: DomainError | null = null;
    try {
      if (!connector) throw new RegistryUnavailable(registry, "not_configured");
      value = await ask(connector);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      failure = err;
    }
    const outcome = failure ? String(failure.details?.reason ?? failure.code) : value === null ? "not_found" : "ok";
    const fields = value && typeof value === "object" ? Object.keys(value) : [];
    await database.transaction(async (tx) => {
      const row = await repo.queueLookup(tx, {
        at: clock.now(),
        actor: actorRef(actor),
        actorName: actor.type === "user" ? actor.fullName : actorRef(actor),
        agencyCode: actor.type === "user" && subject.id !== actor.username ? actor.agencyCode : null,
        registry,
        subjectType: subject.type,
        subjectId: subject.id,
        fields,
        purpose: purpose.purpose,
        legalBasis: purpose.legalBasis,
        dossierId: purpose.dossierId,
        outcome,
        requestId: meta.requestId ?? null,
        covertPurpose: purpose.covert ?? null,
        discloseAt,
        prefill: meta.prefill === true,
      });
      await audit.record(tx, {
        actor,
        action: "registries.lookup",
        subject: { type: "registry_lookup", id: row.id },
        requestId: meta.requestId ?? null,
        change: { registry, subject, fields, purpose, outcome, agencyCode: row.agencyCode, ...(discloseAt ? { discloseAt: discloseAt.toISOString() } : {}) },
      });
    });
    if (failure) throw failure;
    return value as T | null;
  }

  return {
    async lookupCitizen(actor, cccd, purpose, meta = {}) {
      const id = subjectOf("citizen", cccd);
      checkPurpose(purpose, []);
      return lookUp<CitizenDto>(actor, "population", { type: "citizen", id }, purpose, meta, (c) =>
        c.lookUp(`/population/citizens/${encodeURIComponent(id)}`, {}, purpose, { expect: { cccd: id } }),
      );
    },
    async lookupBusiness(actor, taxCode, purpose, meta = {}) {
      const id = subjectOf("business", taxCode);
      checkPurpose(purpose, []);
      return lookUp<BusinessDto>(actor, "business", { type: "business", id }, purpose, meta, (c) =>
        c.lookUp(`/business/enterprises/${encodeURIComponent(id)}`, {}, purpose, { expect: { taxCode: id } }),
      );
    },
    async civilEvents(actor, cccd, purpose, meta = {}) {
      const id = subjectOf("citizen", cccd);
      checkPurpose(purpose, []);
      return lookUp<CivilEventsDto>(actor, "civil_status", { type: "citizen", id }, purpose, meta, (c) =>
        c.lookUp("/civil-status/events", { soDinhDanh: id }, purpose, { add: { cccd: id } }),
      );
    },
    async lookupsAboutMe(actor, filter = {}) {
      if (actor.type !== "user") throw new RegistryLookupForbidden();
      const type = actor.roles.some((r) => r.role === "citizen") ? "citizen" : actor.roles.some((r) => r.role === "business") ? "business" : null;
      if (!type) throw new RegistryLookupForbidden();
      // A look-up under a covert purpose is not shown before its disclosure date.
      return repo.lookupsOf(database.db, type, actor.username, { ...filter, disclosedBy: clock.now() });
    },
    status() {
      const out = {} as ReturnType<RegistriesService["status"]>;
      for (const name of REGISTRIES) out[name] = { configured: Boolean(connectors[name]), breaker: connectors[name]?.breaker.state() ?? null };
      return out;
    },
  };
}
