// What the dossier pages of the portal and the office share beyond the web kit: the forms they post, the
// request id a form carries, a paper chosen without its file, pages that no cache may keep.
import { Type } from "@sinclair/typebox";
import type { App } from "../../platform/http/types.ts";
import { FormText } from "../../web/forms.ts";
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
