// What the dossier pages of the portal and the office share beyond the web kit: the forms they post, the
// request id a form carries, a paper chosen without its file, pages that no cache may keep.
import { Type } from "../../platform/typebox.ts";
import type { App } from "../../platform/http/types.ts";
import { FormText } from "../../web/forms.ts";
import { agencyNames } from "../catalog/index.ts";
import type { DirectoryService } from "../directory/index.ts";
import { InvalidDossier } from "./errors.ts";

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A form whose fields are named at run time (a procedure's e-form, `f.<name>`, and the rows of a list):
 * every value is text, each field sent once.
 */
export const DossierForm = Type.Record(Type.String(), Type.String());

/** What a paper's upload sends before its file: the paper's key (or `result`). */
/** An upload: the paper's key, and at the counter whether the receiver scanned it from the paper (`digitised`). */
export const UploadFields = Type.Object({ component: FormText(), digitised: FormText() });

export const noFile = (key: string) => new InvalidDossier([{ path: `/attachments/${key}`, message: "Cần chọn tệp đính kèm." }]);

/** Pages with a dossier carry personal data: no cache may keep them. */
export function privatePages(app: App): void {
  app.addHook("onSend", async (_request, reply, payload) => {
    if (String(reply.getHeader("content-type") ?? "").startsWith("text/html")) void reply.header("cache-control", "private, no-store");
    return payload;
  });
}

/**
 * The names of the desk that received a dossier and of the desk its result returns to (filing anywhere in the
 * province: another desk's, else null), with the names of `more` agencies a page also shows.
 */
export async function deskNames(
  directory: DirectoryService,
  d: { agencyCode: string; returnAgencyCode: string | null },
  more: readonly string[] = [],
): Promise<{ agencyName: string; returnName: string | null; names: Map<string, string> }> {
  const names = await agencyNames(directory, [d.agencyCode, ...(d.returnAgencyCode ? [d.returnAgencyCode] : []), ...more]);
  return {
    agencyName: names.get(d.agencyCode) ?? d.agencyCode,
    returnName: d.returnAgencyCode ? (names.get(d.returnAgencyCode) ?? d.returnAgencyCode) : null,
    names,
  };
}
