import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { OFFICERS, rolesOnly } from "../../platform/http/access.ts";
import { FIGURE_ROLES } from "./policy.ts";
import { BehindPage, BehindParams, BehindQuery, BreakdownDto, BreakdownQuery, Index766Dto, Index766Query, KpiQuery, SummaryDto } from "./schema.ts";
import type { KpiService } from "./service.ts";

const FIGURES = rolesOnly(...FIGURE_ROLES);

/** The dashboards' data (API.md "Dashboards"): counts only; the dossiers behind a count to those who may see them. */
export function kpiRoutes(kpi: KpiService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/api/kpi/summary",
      {
        config: { access: FIGURES },
        schema: {
          tags: ["kpi"],
          summary: "Chỉ tiêu xử lý hồ sơ của một cơ quan, một tỉnh trong một kỳ",
          description:
            "Received, finished early / on time / late, in progress on time / overdue at the period's end, the OpenCPS on-time ratio, online, paid-online, digitised ratios, satisfaction, average processing time per procedure and the Resolution 17 targets. Leaders and supervisors: their agency's subtree; a province: its supervisors. 403 `kpi.forbidden`.",
          querystring: KpiQuery,
          response: { 200: SummaryDto },
        },
      },
      async (request) => kpi.summary(request.actor, request.query),
    );

    app.get(
      "/api/kpi/index766",
      {
        config: { access: FIGURES },
        schema: {
          tags: ["kpi"],
          summary: "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)",
          description: "The six groups with their points and the inputs each was computed from, by the formula version in force on the period's first day.",
          querystring: Index766Query,
          response: { 200: Index766Dto },
        },
      },
      async (request) => kpi.index766(request.actor, request.query),
    );

    app.get(
      "/api/kpi/breakdown",
      {
        config: { access: FIGURES },
        schema: { tags: ["kpi"], summary: "Chỉ tiêu theo thủ tục, cơ quan tiếp nhận hoặc kênh", querystring: BreakdownQuery, response: { 200: BreakdownDto } },
      },
      async (request) => ({ items: await kpi.breakdown(request.actor, request.query) }),
    );

    app.get(
      "/api/kpi/dossiers/:indicator",
      {
        config: { access: OFFICERS },
        schema: {
          tags: ["kpi"],
          summary: "Các hồ sơ sau một con số",
          description: "The dossiers a count of the summary counted (e.g. the 12 finished late), those the caller may see.",
          params: BehindParams,
          querystring: BehindQuery,
          response: { 200: BehindPage },
        },
      },
      async (request) => kpi.dossiersBehind(request.actor, request.params.indicator, request.query),
    );
  };
}
