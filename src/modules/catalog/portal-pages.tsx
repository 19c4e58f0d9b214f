// The portal's catalogue pages (issue 4, item 6): search and the procedure in force, server-rendered,
// working without JavaScript; htmx only swaps the results as the user types.
import { type Static, Type } from "../../platform/typebox.ts";
import { PUBLIC } from "../../platform/http/access.ts";
import { DomainError } from "../../platform/http/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { FormText, pageQuery, pageSchema } from "../../web/forms.ts";
import { pageRequest, sendFragment, sendPage, wantsFragment } from "../../web/render.ts";
import { partyPage, sendNotFoundPage } from "../../web/routes.tsx";
import type { DirectoryService } from "../directory/index.ts";
import { AUDIENCES, ONLINE_LEVELS, PROCEDURE_CODE_PATTERN } from "./model.ts";
import { type Choice, SEARCH_PATH, searchHref, SearchPage, SearchResults, type SearchValues } from "./portal-views.tsx";
import { ProcedureView } from "./procedure-view.tsx";
import type { CatalogService } from "./service.ts";

export const PORTAL_PAGE_SIZE = 10;
const CODE = new RegExp(PROCEDURE_CODE_PATTERN);

/** The search form as a browser sends it (GET). */
const SearchForm = Type.Object({ q: FormText(), field: FormText(), level: FormText(), audience: FormText(), agency: FormText(), page: FormText() });
const SearchQuery = pageSchema({ querystring: SearchForm });

const one = (v: string | undefined, max: number) => (v ?? "").trim().slice(0, max);

/** The search form's values from a query string; a value the form cannot hold is dropped, not an error. */
export function searchValues(q: Partial<Static<typeof SearchForm>>): SearchValues {
  const level = one(q.level, 10);
  const audience = one(q.audience, 10);
  const page = Number(one(q.page, 6));
  return {
    q: one(q.q, 200),
    field: one(q.field, 40),
    level: (ONLINE_LEVELS as readonly string[]).includes(level) ? level : "",
    audience: (AUDIENCES as readonly string[]).includes(audience) ? audience : "",
    agency: one(q.agency, 13),
    page: Number.isInteger(page) && page >= 1 && page <= 10000 ? page : 1,
  };
}

/** Agency names by code from the directory; an agency it does not know keeps its code. */
export async function agencyNames(directory: DirectoryService, codes: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const code of new Set(codes)) {
    out.set(code, await directory.agency(code).then((a) => a.name, () => code));
  }
  return out;
}

export function catalogPortalPages(deps: { catalog: CatalogService; directory: DirectoryService }) {
  const { catalog, directory } = deps;
  return async (app: App) => {
    const choices = async (): Promise<{ fields: Choice[]; agencies: Choice[] }> => {
      const [fields, codes] = await Promise.all([catalog.fields(), catalog.agencies()]);
      const names = await agencyNames(directory, codes);
      const agencies = codes.map((code) => ({ code, name: names.get(code) ?? code })).sort((a, b) => a.name.localeCompare(b.name, "vi"));
      return { fields, agencies };
    };

    app.get(SEARCH_PATH, { config: { access: PUBLIC }, ...SearchQuery }, async (request, reply) => {
      const values = searchValues(pageQuery(request));
      const result = await catalog.search({
        q: values.q,
        page: values.page,
        pageSize: PORTAL_PAGE_SIZE,
        ...(values.field ? { field: values.field } : {}),
        ...(values.agency ? { agency: values.agency } : {}),
        ...(values.level ? { level: values.level as (typeof ONLINE_LEVELS)[number] } : {}),
        ...(values.audience ? { audience: values.audience as (typeof AUDIENCES)[number] } : {}),
      });
      // The whole page names who is signed in (or offers the sign-in link); the fragment htmx swaps has no header.
      const page = wantsFragment(request) ? pageRequest(request) : partyPage(request, reply, "portal");
      if (wantsFragment(request)) {
        // The address htmx shows is the search's own, without the form's empty fields.
        void reply.header("hx-push-url", searchHref(values));
        return sendFragment(reply, <SearchResults page={page} values={values} result={result} />);
      }
      const { fields, agencies } = await choices();
      return sendPage(reply, <SearchPage page={page} values={values} result={result} fields={fields} agencies={agencies} />, 200, { vary: ["HX-Request"] });
    });

    app.get(`${SEARCH_PATH}/:code`, { config: { access: PUBLIC }, ...pageSchema({ params: Type.Object({ code: Type.String() }) }) }, async (request, reply) => {
      const { code } = request.params;
      if (!CODE.test(code)) return sendNotFoundPage(request, reply);
      const procedure = await published(code);
      if (!procedure) return sendNotFoundPage(request, reply);
      const names = await agencyNames(directory, [...procedure.agencies, ...procedure.steps.flatMap((s) => (s.agency ? [s.agency] : []))]);
      return sendPage(reply, <ProcedureView page={partyPage(request, reply, "portal")} procedure={procedure} agencyNames={names} />);
    });

    const published = async (code: string) => {
      try {
        return await catalog.published(code);
      } catch (err) {
        if (err instanceof DomainError && err.kind === "not_found") return null;
        throw err;
      }
    };
  };
}
