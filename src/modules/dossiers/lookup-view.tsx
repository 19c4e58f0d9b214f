// The public lookup page (what the QR on the receipt opens): a dossier's status, dates and steps by its
// code and lookup key, without any personal data (the service's LookupDto).
import { Layout } from "../../web/layout.tsx";
import type { PageRequest } from "../../web/render.ts";
import { when } from "./form-view.tsx";
import { LOOKUP_PATH } from "./portal-views.tsx";
import type { LookupDto } from "./schema.ts";
import { actionName, dossierTimelinessName, statusName } from "./words.ts";
import { tr } from "../../web/i18n.ts";

/** Where the applicant downloads an electronic result: the dossier's own page, through the sign-in when signed out. */
export interface ResultDownload {
  href: string;
  signIn: boolean;
}

export function LookupPage(props: { page: PageRequest; code: string; keyValue: string; result?: LookupDto | undefined; download?: ResultDownload | undefined; error?: string | undefined }) {
  const { page, result } = props;
  const title = tr(page, "Tra cứu hồ sơ", "Look up a dossier");
  return (
    <Layout page={page} variant="portal" title={title} current={LOOKUP_PATH}>
      <h1>{title}</h1>
      <p>{tr(page, "Nhập mã hồ sơ và mã tra cứu ghi trên Giấy tiếp nhận hồ sơ (hoặc quét mã QR trên giấy).", "Enter the dossier code and the lookup key printed on the receipt (or scan its QR code).")}</p>
      <form method="get" action={LOOKUP_PATH} class="inline-form" role="search">
        <div class="field">
          <label for="ma">{tr(page, "Mã hồ sơ", "Dossier code")}</label>
          <input id="ma" name="ma" type="text" value={props.code} maxLength={40} autocomplete="off" />
        </div>
        <div class="field">
          <label for="khoa">{tr(page, "Mã tra cứu", "Lookup key")}</label>
          <input id="khoa" name="khoa" type="text" value={props.keyValue} maxLength={16} autocomplete="off" />
        </div>
        <button type="submit">{tr(page, "Tra cứu", "Look up")}</button>
      </form>
      {props.error ? (
        <p class="error" role="alert" id="lookup-error">
          {props.error}
        </p>
      ) : null}
      {result ? (
        <section aria-labelledby="lookup-result">
          <h2 id="lookup-result">
            {tr(page, "Hồ sơ", "Dossier")} {result.code}
          </h2>
          <dl class="facts">
            <dt>{tr(page, "Thủ tục", "Procedure")}</dt>
            <dd>{result.procedureName}</dd>
            <dt>{tr(page, "Cơ quan tiếp nhận", "Receiving agency")}</dt>
            <dd>{result.agencyName}</dd>
            <dt>{tr(page, "Trạng thái", "Status")}</dt>
            <dd id="status">
              <strong>{statusName(page, result.status)}</strong>
            </dd>
            <dt>{tr(page, "Ngày tiếp nhận", "Received")}</dt>
            <dd>{when(page, result.receivedAt)}</dd>
            <dt>{tr(page, "Hạn trả kết quả", "Due")}</dt>
            <dd id="due">{when(page, result.dueAt)}</dd>
            {result.promisedAt ? (
              <>
                <dt>{tr(page, "Ngày hẹn trả mới", "New return date")}</dt>
                <dd id="promised">{when(page, result.promisedAt)}</dd>
              </>
            ) : null}
            <dt>{tr(page, "Ngày có kết quả", "Result issued")}</dt>
            <dd>{when(page, result.finishedAt)}</dd>
            {result.timeliness ? (
              <>
                <dt>{tr(page, "So với hạn", "Against the due date")}</dt>
                <dd id="timeliness">{dossierTimelinessName(page, result.timeliness, result.apologized)}</dd>
              </>
            ) : null}
            <dt>{tr(page, "Ngày trả kết quả", "Returned")}</dt>
            <dd>{when(page, result.returnedAt)}</dd>
          </dl>
          {props.download ? (
            <p class="notice" id="result-download">
              {tr(page, "Kết quả có bản điện tử: người nộp hồ sơ tải về trên trang hồ sơ của mình.", "The result has an electronic copy: the applicant downloads it from the dossier's own page.")}{" "}
              <a href={props.download.href}>
                {props.download.signIn ? tr(page, "Đăng nhập để tải kết quả", "Sign in to download the result") : tr(page, "Tải kết quả trên trang hồ sơ", "Download the result from the dossier's page")}
              </a>
            </p>
          ) : null}
          <table>
            <caption>{tr(page, "Các bước đã thực hiện", "What has been done")}</caption>
            <thead>
              <tr>
                <th scope="col">{tr(page, "Thời điểm", "When")}</th>
                <th scope="col">{tr(page, "Nội dung", "What")}</th>
                <th scope="col">{tr(page, "Trạng thái", "Status")}</th>
              </tr>
            </thead>
            <tbody>
              {result.history.map((h, i) => (
                <tr key={i}>
                  <th scope="row" class="nowrap">
                    {when(page, h.at)}
                  </th>
                  <td>{actionName(page, h.action)}</td>
                  <td>{statusName(page, h.toStatus)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </Layout>
  );
}
