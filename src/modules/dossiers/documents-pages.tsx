// "Kho dữ liệu của tôi" (issue 14, item 8): the applicant's stored documents (papers the desk digitised, results
// returned to them), each downloadable, and, opened from a draft (`?ho-so=<id>`), a form per document to use it
// for one of the draft's papers instead of uploading it again. The rules are the dossier service's.
import { Type } from "../../platform/typebox.ts";
import type { FastifyReply, FastifyRequest } from "fastify";
import { APPLICANTS } from "../../platform/http/access.ts";
import type { App } from "../../platform/http/types.ts";
import { csrfToken } from "../../web/cookies.ts";
import { FormText, pageQuery, pageSchema, postedForm, text } from "../../web/forms.ts";
import { tr } from "../../web/i18n.ts";
import { Layout } from "../../web/layout.tsx";
import { registerPageErrors, shownError } from "../../web/page-errors.tsx";
import { type PageRequest, sendPage } from "../../web/render.ts";
import { partyPage } from "../../web/routes.tsx";
import type { ProcedureContent } from "../catalog/index.ts";
import { Notice, ProblemSummary, when } from "./form-view.tsx";
import { privatePages, UUID } from "./page-support.ts";
import { MY_DOSSIERS_PATH, myDossierPath } from "./portal-views.tsx";
import { uploadedPapers } from "./papers.ts";
import type { DossierDto, StoredDocumentDto } from "./schema.ts";
import type { DossierService } from "./service.ts";

export const STORE_PATH = "/kho-du-lieu";
export const storeHref = (draftId: string) => `${STORE_PATH}?ho-so=${encodeURIComponent(draftId)}`;

const StoreQuery = pageSchema({ querystring: Type.Object({ "ho-so": FormText() }) });
const DocumentParams = pageSchema({ params: Type.Object({ id: Type.String({ maxLength: 64 }) }) });
const ReuseForm = pageSchema({ body: Type.Object({ dossier: FormText(), component: FormText(), document: FormText() }) });

function StorePage(props: {
  page: PageRequest;
  csrf: string;
  documents: StoredDocumentDto[];
  /** The draft the page was opened from, and its procedure's papers. */
  draft?: { d: DossierDto; components: ProcedureContent["components"] } | undefined;
  error?: string | undefined;
}) {
  const { page, documents, draft } = props;
  const title = tr(page, "Kho dữ liệu của tôi", "My data store");
  return (
    <Layout page={page} variant="portal" title={title} current={STORE_PATH}>
      <h1>{title}</h1>
      <ProblemSummary page={page} problems={[]} heading={props.error} />
      <p>
        {tr(
          page,
          "Giấy tờ đã được số hóa khi bạn nộp hồ sơ tại quầy và kết quả giải quyết đã trả cho bạn. Bạn có thể dùng lại khi nộp hồ sơ sau, không cần tải lên lại. Chỉ bạn xem được kho này.",
          "Papers digitised when you filed at the counter and results returned to you. Use them again in a later filing instead of uploading them. Only you can see this store.",
        )}
      </p>
      {draft ? (
        <Notice
          text={tr(page, `Chọn giấy tờ để dùng cho hồ sơ nháp «${draft.d.procedureName}».`, `Choose a document to use in the draft "${draft.d.procedureName}".`)}
        />
      ) : null}
      {documents.length === 0 ? (
        <p>{tr(page, "Kho dữ liệu của bạn chưa có giấy tờ nào.", "Your data store holds no document yet.")}</p>
      ) : (
        <table>
          <caption>{tr(page, "Giấy tờ trong kho, mới nhất trước", "Stored documents, newest first")}</caption>
          <thead>
            <tr>
              <th scope="col">{tr(page, "Giấy tờ", "Document")}</th>
              <th scope="col">{tr(page, "Nguồn", "Source")}</th>
              <th scope="col">{tr(page, "Hồ sơ", "Dossier")}</th>
              <th scope="col">{tr(page, "Ngày lưu", "Stored")}</th>
              {draft ? <th scope="col">{tr(page, "Dùng cho hồ sơ nháp", "Use in the draft")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {documents.map((doc) => {
              const fits = draft ? draft.components.filter((c) => c.fileTypes.includes(doc.contentType)) : [];
              return (
                <tr key={doc.id}>
                  <th scope="row">
                    <a href={`${STORE_PATH}/${doc.id}`}>{doc.name}</a>
                  </th>
                  <td>{doc.source === "result" ? tr(page, "Kết quả giải quyết", "Result") : tr(page, "Giấy tờ đã số hóa", "Digitised paper")}</td>
                  <td class="nowrap">{doc.dossierCode ?? "—"}</td>
                  <td>{when(page, doc.storedAt)}</td>
                  {draft ? (
                    <td>
                      {fits.length ? (
                        <form method="post" action={`${STORE_PATH}/dung-lai`} class="inline-form">
                          <input type="hidden" name="_csrf" value={props.csrf} />
                          <input type="hidden" name="dossier" value={draft.d.id} />
                          <input type="hidden" name="document" value={doc.id} />
                          <label for={`use-${doc.id}`}>{tr(page, "Thành phần", "Paper")}</label>
                          <select id={`use-${doc.id}`} name="component">
                            {fits.map((c) => (
                              <option key={c.key} value={c.key}>
                                {c.name}
                              </option>
                            ))}
                          </select>
                          <button type="submit">{tr(page, "Dùng giấy tờ này", "Use this document")}</button>
                        </form>
                      ) : (
                        tr(page, "Không hợp với giấy tờ nào của thủ tục", "Fits no paper of the procedure")
                      )}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p>
        <a href={draft ? `${myDossierPath(draft.d.id)}#papers` : MY_DOSSIERS_PATH}>
          {draft ? tr(page, "← Quay lại hồ sơ nháp", "← Back to the draft") : tr(page, "← Hồ sơ của tôi", "← My dossiers")}
        </a>
      </p>
    </Layout>
  );
}

export function dossierStorePages(deps: { dossiers: DossierService }) {
  const { dossiers } = deps;
  return async (app: App) => {
    registerPageErrors(app, { signInReturn: STORE_PATH, signIn: "portal", back: { href: STORE_PATH, vi: "Kho dữ liệu của tôi", en: "My data store" } });
    privatePages(app);

    const show = async (request: FastifyRequest, reply: FastifyReply, draftId: string, error?: string, status = 200) => {
      const page = partyPage(request, reply, "portal");
      const documents = await dossiers.myDocuments(request.actor);
      let draft: { d: DossierDto; components: ProcedureContent["components"] } | undefined;
      if (UUID.test(draftId)) {
        const d = await dossiers.get(request.actor, draftId);
        // The papers the draft uploads: never one only shown in person, nor online the declaration the e-form is.
        if (d.status === "draft") draft = { d, components: uploadedPapers(await dossiers.boundProcedure(d), d.channel) };
      }
      return sendPage(reply, <StorePage page={page} csrf={csrfToken(request, reply)} documents={documents} draft={draft} error={error} />, status);
    };

    app.get(STORE_PATH, { config: { access: APPLICANTS }, ...StoreQuery }, async (request, reply) => show(request, reply, text(pageQuery(request)["ho-so"], 36)));

    app.get(`${STORE_PATH}/:id`, { config: { access: APPLICANTS }, ...DocumentParams }, async (request, reply) => {
      const { document, stream } = await dossiers.myDocument(request.actor, request.params.id);
      void reply.header("content-type", document.contentType);
      void reply.header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(document.name)}`);
      void reply.header("x-content-type-options", "nosniff");
      void reply.header("cache-control", "private, no-store");
      return reply.send(stream);
    });

    app.post(`${STORE_PATH}/dung-lai`, { config: { access: APPLICANTS }, ...ReuseForm }, async (request, reply) => {
      const form = postedForm(request);
      const dossierId = text(form.values.dossier, 36);
      try {
        if (!form.ok) throw form.failure;
        await dossiers.reuse(request.actor, dossierId, { component: text(form.values.component, 100), documentId: text(form.values.document, 64) }, { requestId: request.id, ip: request.ip });
      } catch (err) {
        const e = shownError(reply, partyPage(request, reply, "portal"), err);
        if (!e) throw err;
        return show(request, reply, dossierId, e.message, e.status);
      }
      return reply.redirect(`${myDossierPath(dossierId)}?da=dung-lai#papers`, 303);
    });
  };
}
