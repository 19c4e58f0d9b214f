// Which papers (thành phần hồ sơ) an applicant uploads or reuses, decided once for the filing, the store's reuse and
// the pages: a paper only shown in person ("xuất trình") is never uploaded, on any channel; online, a paper the
// e-form replaces (its declaration) is not asked for (issue 14, item 9).
import type { ProcedureContent } from "../catalog/index.ts";
import { InvalidDossier } from "./errors.ts";

type Paper = ProcedureContent["components"][number];

/** Whether `paper` is uploaded on `channel`. */
export function isUploaded(paper: Paper, channel: string, registriesUsed: readonly string[] = []): boolean {
  if (channel === "online" && paper.replacedByRegistry && registriesUsed.includes(paper.replacedByRegistry)) return false;
  return !paper.shownOnly && !(channel === "online" && paper.replacedByEForm === true);
}

/** The papers uploaded on `channel`, in the procedure's order. */
export function uploadedPapers(content: ProcedureContent, channel: string, registriesUsed: readonly string[] = []): Paper[] {
  return content.components.filter((c) => isUploaded(c, channel, registriesUsed));
}

/** The paper a file is uploaded or reused for. Throws InvalidDossier when the procedure has none, or it is only shown. */
export function paperToFile(content: ProcedureContent, key: string): Paper {
  const paper = content.components.find((c) => c.key === key);
  if (!paper) throw new InvalidDossier([{ path: "/component", message: `Thủ tục không có thành phần hồ sơ ${key}.` }]);
  if (paper.shownOnly) throw new InvalidDossier([{ path: "/component", message: `${paper.name}: giấy tờ chỉ xuất trình khi làm thủ tục, không tải lên.` }]);
  return paper;
}
