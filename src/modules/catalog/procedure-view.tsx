// The procedure in force as the portal shows it (`/thu-tuc/:code`): what to bring, how long, how much,
// how to file, and the law it rests on.
import { formatDate } from "../../web/format.ts";
import { Layout } from "../../web/layout.tsx";
import { ScrollTable } from "../../web/table.tsx";
import type { PageRequest } from "../../web/render.ts";
import { filePath, SEARCH_PATH } from "./portal-views.tsx";
import type { ProcedureDto } from "./schema.ts";
import { assuranceText, audienceName, channelName, feeKindName, filingPhrase, isFree, levelName, moneyText, onlineLevelName, roleName, timeText } from "./words.ts";
import { tr } from "../../web/i18n.ts";

const yesNo = (page: PageRequest, b: boolean) => (b ? tr(page, "Có", "Yes") : tr(page, "Không", "No"));

/** `/thu-tuc/:code`: the version in force, everything an applicant needs before filing. */
export function ProcedureView({ page, procedure: p, agencyNames }: { page: PageRequest; procedure: ProcedureDto; agencyNames: Map<string, string> }) {
  const online = p.processingTimes.some((t) => t.channel === "online");
  const inPerson = p.processingTimes.filter((t) => t.channel !== "online").map((t) => filingPhrase(page, t.channel));
  const agencies = p.agencies.map((c) => agencyNames.get(c) ?? c);
  return (
    <Layout page={page} variant="portal" title={p.name} current={SEARCH_PATH}>
      <p>
        <a href={SEARCH_PATH}>{tr(page, "← Tìm thủ tục khác", "← Find another procedure")}</a>
      </p>
      <h1>{p.name}</h1>
      {p.description ? <p class="lead">{p.description}</p> : null}
      <dl class="facts">
        <dt>{tr(page, "Mã thủ tục", "Procedure code")}</dt>
        <dd id="procedure-code">
          {p.code}
          {p.illustrative ? <span class="sub"> ({tr(page, "mã minh họa, không phải mã thủ tục quốc gia", "an illustrative code, not a national procedure code")})</span> : null}
        </dd>
        <dt>{tr(page, "Lĩnh vực", "Field")}</dt>
        <dd>{p.field.name}</dd>
        <dt>{tr(page, "Cấp thực hiện", "Level")}</dt>
        <dd>{p.levels.map((l) => levelName(page, l)).join(", ")}</dd>
        <dt>{tr(page, "Cơ quan thực hiện", "Implementing agencies")}</dt>
        <dd>{agencies.join("; ")}</dd>
        <dt>{tr(page, "Đối tượng thực hiện", "Who may file")}</dt>
        <dd>{p.audience.map((a) => audienceName(page, a)).join(", ")}</dd>
        <dt>{tr(page, "Mức độ dịch vụ công trực tuyến", "Online service level")}</dt>
        <dd>{onlineLevelName(page, p.onlineLevel)}</dd>
        <dt>{tr(page, "Định danh điện tử", "Electronic identification")}</dt>
        <dd id="assurance">{assuranceText(page, p.assuranceLevel)}</dd>
        {p.publishedAt ? (
          <>
            <dt>{tr(page, "Công bố", "Published")}</dt>
            <dd>
              {tr(page, "Phiên bản", "Version")} {p.version}, <time dateTime={p.publishedAt}>{formatDate(new Date(p.publishedAt), page.lang)}</time>
            </dd>
          </>
        ) : null}
      </dl>

      <section class="file-box" aria-labelledby="how-to-file">
        <h2 id="how-to-file">{tr(page, "Cách thức nộp hồ sơ", "How to file")}</h2>
        {online ? (
          <>
            <p>
              <a class="button" href={filePath(p.code)}>
                {tr(page, "Nộp hồ sơ trực tuyến", "File online")}
              </a>
            </p>
            <p class="sub">{assuranceText(page, p.assuranceLevel)}.</p>
          </>
        ) : (
          <p class="notice" id="in-person">
            {tr(page, "Thủ tục này chưa nộp trực tuyến được. Nộp hồ sơ", "This procedure cannot be filed online yet. File")} {inPerson.join(tr(page, " hoặc ", " or "))}{" "}
            {tr(page, "tại", "at")} {agencies.join("; ")}.
          </p>
        )}
        {online && inPerson.length ? (
          <p>
            {tr(page, "Cũng có thể nộp", "You may also file")} {inPerson.join(tr(page, " hoặc ", " or "))} {tr(page, "tại", "at")} {agencies.join("; ")}.
          </p>
        ) : null}
      </section>

      <h2 id="components">{tr(page, "Hồ sơ gồm", "What to bring")}</h2>
      {p.components.length === 0 ? (
        <p>{tr(page, "Không yêu cầu giấy tờ.", "No papers are required.")}</p>
      ) : (
        <ScrollTable labelledBy="components-caption">
        <table>
          <caption id="components-caption">{tr(page, "Thành phần hồ sơ và số lượng bản", "Dossier components and number of copies")}</caption>
          <thead>
            <tr>
              <th scope="col">{tr(page, "Tên giấy tờ", "Paper")}</th>
              <th scope="col">{tr(page, "Bắt buộc", "Required")}</th>
              <th scope="col">{tr(page, "Bản chính", "Originals")}</th>
              <th scope="col">{tr(page, "Bản sao chứng thực", "Certified copies")}</th>
              <th scope="col">{tr(page, "Bản sao", "Copies")}</th>
              <th scope="col">{tr(page, "Mẫu đơn, tờ khai", "Template")}</th>
            </tr>
          </thead>
          <tbody>
            {p.components.map((c) => (
              <tr key={c.key}>
                <th scope="row">
                  {c.name}
                  {c.note ? <span class="sub">{c.note}</span> : null}
                </th>
                <td>{yesNo(page, c.required)}</td>
                <td>{c.counts.original}</td>
                <td>{c.counts.certifiedCopy}</td>
                <td>{c.counts.copy}</td>
                <td>{c.template ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
</ScrollTable>
      )}

      <h2 id="times">{tr(page, "Thời hạn giải quyết", "Processing time")}</h2>
      <ScrollTable labelledBy="times-caption">
      <table>
        <caption id="times-caption">{tr(page, "Thời hạn theo cách thức nộp", "Time by way of filing")}</caption>
        <thead>
          <tr>
            <th scope="col">{tr(page, "Cách thức", "Way of filing")}</th>
            <th scope="col">{tr(page, "Thời hạn", "Time")}</th>
            <th scope="col">{tr(page, "Ghi chú", "Note")}</th>
          </tr>
        </thead>
        <tbody>
          {p.processingTimes.map((t) => (
            <tr key={t.channel}>
              <th scope="row">{channelName(page, t.channel)}</th>
              <td>{timeText(page, t)}</td>
              <td>{t.note ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
</ScrollTable>

      <h2 id="fees">{tr(page, "Phí, lệ phí", "Fees and charges")}</h2>
      {isFree(p.fees) ? (
        <p>{tr(page, "Miễn phí", "Free")}</p>
      ) : (
        <ScrollTable labelledBy="fees-caption">
        <table>
          <caption id="fees-caption">{tr(page, "Các khoản phí, lệ phí", "Fees and charges")}</caption>
          <thead>
            <tr>
              <th scope="col">{tr(page, "Khoản thu", "Item")}</th>
              <th scope="col">{tr(page, "Loại", "Kind")}</th>
              <th scope="col">{tr(page, "Mức thu", "Amount")}</th>
              <th scope="col">{tr(page, "Áp dụng cho", "Applies to")}</th>
              <th scope="col">{tr(page, "Miễn, giảm", "Exemptions")}</th>
            </tr>
          </thead>
          <tbody>
            {p.fees.map((f) => (
              <tr key={f.key}>
                <th scope="row">{f.name}</th>
                <td>{feeKindName(page, f.kind)}</td>
                <td class="nowrap">{moneyText(page, f.amount)}</td>
                <td>{f.channel ? channelName(page, f.channel) : tr(page, "Mọi cách thức", "Every way of filing")}</td>
                <td>
                  {f.exemptions.length ? (
                    <ul>
                      {f.exemptions.map((e, i) => (
                        <li key={i}>
                          {e.description}
                          {e.legalBasis ? ` (${e.legalBasis})` : ""}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
</ScrollTable>
      )}

      <h2 id="steps">{tr(page, "Trình tự thực hiện", "Steps")}</h2>
      <ol>
        {p.steps.map((s) => (
          <li key={s.key}>
            {s.name} <span class="sub">{s.agency ? `${agencyNames.get(s.agency) ?? s.agency} (${tr(page, "liên thông", "inter-agency")})` : roleName(page, s.role)}</span>
          </li>
        ))}
      </ol>

      <h2 id="conditions">{tr(page, "Yêu cầu, điều kiện", "Requirements and conditions")}</h2>
      {p.conditions.length ? (
        <ul>
          {p.conditions.map((c, i) => (
            <li key={i}>{c}</li>
          ))}
        </ul>
      ) : (
        <p>{tr(page, "Không có.", "None.")}</p>
      )}

      <h2 id="results">{tr(page, "Kết quả thực hiện", "Result")}</h2>
      <ul>
        {p.results.map((r) => (
          <li key={r.name}>
            {r.name}
            {r.electronic ? ` (${tr(page, "có bản điện tử", "also electronic")})` : ""}
          </li>
        ))}
      </ul>

      <h2 id="legal-basis">{tr(page, "Căn cứ pháp lý", "Legal basis")}</h2>
      <ScrollTable labelledBy="legal-caption">
      <table>
        <caption id="legal-caption">{tr(page, "Văn bản quy định thủ tục", "Legal documents")}</caption>
        <thead>
          <tr>
            <th scope="col">{tr(page, "Số hiệu", "Number")}</th>
            <th scope="col">{tr(page, "Trích yếu", "Title")}</th>
            <th scope="col">{tr(page, "Ngày ban hành", "Issued")}</th>
            <th scope="col">{tr(page, "Ngày có hiệu lực", "In force from")}</th>
          </tr>
        </thead>
        <tbody>
          {p.legalBasis.map((l) => (
            <tr key={l.number}>
              <th scope="row" class="nowrap">
                {l.number}
              </th>
              <td>{l.title}</td>
              <td>{l.issuedOn ? <time dateTime={l.issuedOn}>{formatDate(l.issuedOn, page.lang)}</time> : "—"}</td>
              <td>
                <time dateTime={l.effectiveFrom}>{formatDate(l.effectiveFrom, page.lang)}</time>
                {l.effectiveTo ? (
                  <span class="sub">
                    {tr(page, "hết hiệu lực", "until")} {formatDate(l.effectiveTo, page.lang)}
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
</ScrollTable>
    </Layout>
  );
}
