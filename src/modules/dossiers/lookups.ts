// What the dossier's listeners read from other modules, in the change's transaction. Passed in as
// functions so a listener depends on the few facts it needs, not on whole services.
import type { Db } from "../../platform/db/index.ts";
import { DomainError } from "../../platform/http/errors.ts";
import type { CatalogService, ProcedureContent } from "../catalog/index.ts";
import type { DirectoryService } from "../directory/index.ts";

/** What the catalogue says about the procedure a dossier was filed under; `form` for field labels. */
export type ProcedureFacts = Pick<ProcedureContent, "name" | "field" | "fees" | "components"> & Partial<Pick<ProcedureContent, "form">>;

/** The procedure version a dossier was filed under, read in the change's transaction; null when unknown. */
export type ProcedureLookup = (tx: Db, procedure: { code: string; version: number }) => Promise<ProcedureFacts | null>;

/** An agency's name and departments, read in the change's transaction; null when unknown. */
export type AgencyLookup = (tx: Db, code: string) => Promise<{ name: string; departments: Array<{ code: string; name: string }> } | null>;

/** Procedure facts from the catalogue: the version the dossier is bound to. */
export function catalogLookup(catalog: Pick<CatalogService, "bound">): ProcedureLookup {
  return async (tx, procedure) => {
    try {
      const bound = await catalog.bound(procedure.code, procedure.version, tx);
      return bound.content;
    } catch (err) {
      // Not found is a fact to report with empty names; anything else is the transaction's failure.
      if (err instanceof DomainError) return null;
      throw err;
    }
  };
}

/** Agency and department names from the directory. */
export function directoryLookup(directory: Pick<DirectoryService, "agency">): AgencyLookup {
  return async (tx, code) => {
    try {
      const agency = await directory.agency(code, tx);
      return { name: agency.name, departments: agency.departments.map((d) => ({ code: d.code, name: d.name })) };
    } catch (err) {
      if (err instanceof DomainError) return null;
      throw err;
    }
  };
}
