// The DocumentId of QCVN 102:2016: `{OrganId},{yyyy/MM/dd},{CodeNumber}/{CodeNotation}`, e.g.
// `000.00.00.G22,2015/09/30,7816/VPCP-TTĐT`: the sender's agency code, the promulgation date and số/ký hiệu.
import { isAgencyCode } from "../../directory/index.ts";
import { EdxmlError } from "./errors.ts";
import { checkDate } from "./values.ts";

export interface DocumentIdParts {
  /** The sending agency's code (mã định danh), e.g. `000.00.00.G22`. */
  organId: string;
  /** `yyyy/MM/dd`. */
  promulgationDate: string;
  /** Số: no `/` (the first `/` separates it from the notation). */
  codeNumber: string;
  /** Ký hiệu, e.g. `VPCP-TTĐT`. */
  codeNotation: string;
}

/** The DocumentId of a document; throws EdxmlError when a part is not valid. */
export function formatDocumentId(parts: DocumentIdParts, element = "DocumentId"): string {
  const id = `${parts.organId},${parts.promulgationDate},${parts.codeNumber}/${parts.codeNotation}`;
  const back = parseDocumentId(id, element);
  // A number holding "/" would read back differently: refuse it rather than write an ambiguous id.
  if (back.codeNumber !== parts.codeNumber || back.organId !== parts.organId) {
    throw new EdxmlError(element, `the code number ${JSON.stringify(parts.codeNumber)} may not hold "/"`);
  }
  return id;
}

/** Reads a DocumentId into its parts; throws EdxmlError (naming `element`) when it is not one. */
export function parseDocumentId(id: string, element = "DocumentId"): DocumentIdParts {
  const shown = JSON.stringify(id);
  const first = id.indexOf(",");
  const second = first < 0 ? -1 : id.indexOf(",", first + 1);
  if (second < 0) {
    throw new EdxmlError(element, `${shown} is not a DocumentId ({OrganId},{yyyy/MM/dd},{Number}/{Notation})`);
  }
  const organId = id.slice(0, first);
  const promulgationDate = id.slice(first + 1, second);
  const code = id.slice(second + 1);
  if (!isAgencyCode(organId)) {
    throw new EdxmlError(element, `${shown}: ${JSON.stringify(organId)} is not an agency code (e.g. 000.00.00.G22)`);
  }
  checkDate(promulgationDate, element, `${shown}: `);
  const slash = code.indexOf("/");
  const codeNumber = slash < 0 ? "" : code.slice(0, slash);
  const codeNotation = slash < 0 ? "" : code.slice(slash + 1);
  if (!codeNumber || !codeNotation) {
    throw new EdxmlError(element, `${shown}: the code must be {Number}/{Notation}, e.g. 7816/VPCP-TTĐT`);
  }
  if (/^\s|\s$/.test(codeNumber) || /^\s|\s$/.test(codeNotation)) {
    throw new EdxmlError(element, `${shown}: the number and the notation may not begin or end with a space`);
  }
  return { organId, promulgationDate, codeNumber, codeNotation };
}
