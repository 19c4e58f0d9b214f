import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "../../platform/typebox.ts";
import { PUBLIC } from "../../platform/http/access.ts";
import { AgencyCode, AgencyDto, AgencyPage, AgencyQuery, CommuneList, ProvinceCode, ProvinceList } from "./schema.ts";
import type { DirectoryService } from "./service.ts";

// The administrative units change by law, a few times a decade; agencies change by an administrator's edit.
const REFERENCE_CACHE = "public, max-age=86400, stale-while-revalidate=604800";
const DIRECTORY_CACHE = "public, max-age=300";

/** Public reference data: provinces, communes and the agency directory. */
export function directoryRoutes(directory: DirectoryService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/api/admin-units/provinces",
      {
        config: { access: PUBLIC },
        schema: {
          tags: ["reference"],
          summary: "Các tỉnh, thành phố (34, từ 1/7/2025)",
          description: "The 34 provinces and centrally-run cities, codes of Công văn 915/CTK-CSCL.",
          response: { 200: ProvinceList },
        },
      },
      async (_request, reply) => {
        const items = await directory.provinces();
        void reply.header("cache-control", REFERENCE_CACHE);
        return { items };
      },
    );

    app.get(
      "/api/admin-units/provinces/:code/communes",
      {
        config: { access: PUBLIC },
        schema: {
          tags: ["reference"],
          summary: "Các xã, phường, đặc khu của một tỉnh",
          description: "The commune-level units of a province, codes of Công văn 1027/CTK-CSCL. 404 for an unknown province.",
          params: Type.Object({ code: ProvinceCode }),
          response: { 200: CommuneList },
        },
      },
      async (request, reply) => {
        const items = await directory.communes(request.params.code);
        void reply.header("cache-control", REFERENCE_CACHE);
        return { items };
      },
    );

    app.get(
      "/api/agencies",
      {
        config: { access: PUBLIC },
        schema: {
          tags: ["reference"],
          summary: "Tra cứu cơ quan",
          description:
            "Agencies by QCVN 102 identifier, in hierarchy order. `q` matches the code and names ignoring diacritics and case; `parent` lists the units directly under an agency.",
          querystring: AgencyQuery,
          response: { 200: AgencyPage },
        },
      },
      async (request, reply) => {
        const page = await directory.searchAgencies(request.query);
        void reply.header("cache-control", DIRECTORY_CACHE);
        return page;
      },
    );

    app.get(
      "/api/agencies/:code",
      {
        config: { access: PUBLIC },
        schema: {
          tags: ["reference"],
          summary: "Một cơ quan và các phòng ban",
          description: "One agency with its departments (phòng ban). 404 `directory.agency_not_found`.",
          params: Type.Object({ code: AgencyCode }),
          response: { 200: AgencyDto },
        },
      },
      async (request, reply) => {
        const agency = await directory.agency(request.params.code);
        void reply.header("cache-control", DIRECTORY_CACHE);
        return agency;
      },
    );
  };
}
