// The registers of incoming and outgoing documents (sổ văn bản đến / đi): an agency's box, newest first,
// searchable by number, notation, sender and subject, with or without diacritics.
import { Layout } from "../../web/layout.tsx";
import { tr } from "../../web/i18n.ts";
import { Pager } from "../../web/pager.tsx";
import type { PageRequest } from "../../web/render.ts";
import { ScrollTable } from "../../web/table.tsx";
import type { DocumentSummaryDto } from "./schema.ts";
import { stateName, statusName } from "./words.ts";

export const INBOX_PATH = "/office/van-ban-den";
export const OUTBOX_PATH = "/office/van-ban-di";
export const COMPOSE_PATH = "/office/van-ban-di/soan";
export const documentPath = (id: string) => `/office/van-ban/${id}`;

export interface BoxProps {
  page: PageRequest;
  box: "in" | "out";
  q: string;
  year: string;
  result: { items: DocumentSummaryDto[]; page: number; hasMore: boolean };
  notice?: string | undefined;
}

export function BoxPage({ page, box, q, year, result, notice }: BoxProps) {
  const path = box === "in" ? INBOX_PATH : OUTBOX_PATH;
  const title = box === "in" ? tr(page, "Sổ văn bản đến", "Register of incoming documents") : tr(page, "Sổ văn bản đi", "Register of outgoing documents");
  const href = (n: number) => `${path}?${new URLSearchParams({ ...(q ? { q } : {}), ...(year ? { nam: year } : {}), trang: String(n) }).toString()}`;
  return (
    <Layout page={page} variant="office" title={title} current={path}>
      <h1>{title}</h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {box === "out" ? (
        <p>
          <a class="button" href={COMPOSE_PATH}>
            {tr(page, "Soạn văn bản mới", "Compose a document")}
          </a>
        </p>
      ) : null}
      <form method="get" action={path} role="search" class="search">
        <div class="field">
          <label for="q">{tr(page, "Tìm theo số, ký hiệu, cơ quan gửi, trích yếu", "Search by number, notation, sender, subject")}</label>
          <input id="q" name="q" type="search" value={q} />
        </div>
        <div class="field">
          <label for="nam">{tr(page, "Năm", "Year")}</label>
          <input id="nam" name="nam" type="text" inputMode="numeric" value={year} size={6} />
        </div>
        <button type="submit">{tr(page, "Tìm", "Search")}</button>
      </form>
      <h2 id="box-heading">{tr(page, "Văn bản", "Documents")}</h2>
      {result.items.length === 0 ? (
        <p id="box-empty">{tr(page, "Không có văn bản nào.", "No documents.")}</p>
      ) : (
        <ScrollTable labelledBy="box-heading">
          <table aria-labelledby="box-heading">
            <thead>
              <tr>
                <th scope="col">{box === "in" ? tr(page, "Số đến", "No.") : tr(page, "Số đi", "No.")}</th>
                <th scope="col">{tr(page, "Số, ký hiệu", "Number, notation")}</th>
                <th scope="col">{box === "in" ? tr(page, "Cơ quan gửi", "Sender") : tr(page, "Nơi nhận", "Recipients")}</th>
                <th scope="col">{tr(page, "Trích yếu", "Subject")}</th>
                <th scope="col">{tr(page, "Trạng thái", "Status")}</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((d) => (
                <tr key={d.id}>
                  <td class="nowrap">
                    {d.registerNumber}/{d.registerYear}
                  </td>
                  <th scope="row" class="nowrap">
                    <a href={documentPath(d.id)}>
                      {d.codeNumber}/{d.codeNotation}
                    </a>
                  </th>
                  <td>{box === "in" ? d.sender.name : d.recipients.map((r) => r.name).join("; ")}</td>
                  <td>{d.subject}</td>
                  <td>
                    {stateName(page, d.state)}
                    {d.lastStatus ? (
                      <>
                        <br />
                        <span class="sub">{statusName(page, d.lastStatus)}</span>
                      </>
                    ) : null}
                    {d.pendingChange ? <span class="badge badge--soon"> {tr(page, "Chờ trả lời đề nghị", "Request to answer")}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      <Pager page={page} result={result} link={(n) => ({ href: href(n) })} />
    </Layout>
  );
}
