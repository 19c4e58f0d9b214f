import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "../../platform/typebox.ts";
import { OFFICER_ROLES } from "../../platform/auth/actor.ts";
import { APPLICANTS, rolesOnly } from "../../platform/http/access.ts";
import { RegistryRecordNotFound } from "./errors.ts";
import { BusinessDto, CitizenDto, CivilEventsDto, LookupPurpose } from "./schema.ts";
import type { RegistriesService } from "./service.ts";

/** Officers for anyone; a citizen or business for themselves only (the service's policy decides that). */
const LOOKERS = rolesOnly("citizen", "business", ...OFFICER_ROLES);

const LookupRecord = Type.Object({
  id: Type.String(),
  at: Type.String({ format: "date-time" }),
  actorName: Type.String(),
  agencyCode: Type.Union([Type.String(), Type.Null()]),
  registry: Type.String(),
  fields: Type.Array(Type.String()),
  purpose: Type.String(),
  legalBasis: Type.String(),
  dossierId: Type.String(),
  outcome: Type.String(),
});

/** The data-sharing gateway's API: look-ups with their purpose, and the record of look-ups about oneself. */
export function registriesRoutes(registries: RegistriesService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const meta = (request: { id: string; ip: string }) => ({ requestId: request.id, client: request.ip });

    app.get(
      "/api/registries/citizens/:cccd",
      {
        config: { access: LOOKERS },
        schema: {
          tags: ["registries"],
          summary: "Tra cứu công dân trong Cơ sở dữ liệu quốc gia về dân cư",
          description: "Officers of an agency, or the citizen themselves. Purpose, legal basis and dossier are required and recorded. 503 `registries.unavailable` when the registry cannot answer.",
          params: Type.Object({ cccd: Type.String() }),
          querystring: LookupPurpose,
          response: { 200: CitizenDto },
        },
      },
      async (request) => (await registries.lookupCitizen(request.actor, request.params.cccd, request.query, meta(request))) ?? notFound("population"),
    );

    app.get(
      "/api/registries/citizens/:cccd/civil-events",
      {
        config: { access: LOOKERS },
        schema: {
          tags: ["registries"],
          summary: "Sự kiện hộ tịch của công dân (khai sinh, kết hôn)",
          params: Type.Object({ cccd: Type.String() }),
          querystring: LookupPurpose,
          response: { 200: CivilEventsDto },
        },
      },
      async (request) => (await registries.civilEvents(request.actor, request.params.cccd, request.query, meta(request))) ?? notFound("civil_status"),
    );

    app.get(
      "/api/registries/businesses/:taxCode",
      {
        config: { access: LOOKERS },
        schema: {
          tags: ["registries"],
          summary: "Tra cứu doanh nghiệp trong Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp",
          params: Type.Object({ taxCode: Type.String() }),
          querystring: LookupPurpose,
          response: { 200: BusinessDto },
        },
      },
      async (request) => (await registries.lookupBusiness(request.actor, request.params.taxCode, request.query, meta(request))) ?? notFound("business"),
    );

    app.get(
      "/api/me/registry-lookups",
      {
        config: { access: APPLICANTS },
        schema: {
          tags: ["registries"],
          summary: "Ai đã tra cứu thông tin của tôi",
          description: "The look-ups in the national registries about the signed-in citizen or business, newest first.",
          response: { 200: Type.Object({ items: Type.Array(LookupRecord) }) },
        },
      },
      async (request) => ({
        items: (await registries.lookupsAboutMe(request.actor)).map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actorName: r.actorName,
          agencyCode: r.agencyCode,
          registry: r.registry,
          fields: r.fields,
          purpose: r.purpose,
          legalBasis: r.legalBasis,
          dossierId: r.dossierId,
          outcome: r.outcome,
        })),
      }),
    );
  };
}

function notFound(registry: "population" | "business" | "civil_status"): never {
  throw new RegistryRecordNotFound(registry);
}
