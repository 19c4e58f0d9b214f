// CSV for spreadsheets, the one way every export writes it (csv-stringify, loaded with the first file written):
// UTF-8 with its byte-order mark (so a spreadsheet reads the Vietnamese letters), CRLF between records, a line
// break inside a field quoted, text in NFC, and a cell that a spreadsheet would run as a formula (=, +, -, @, tab,
// carriage return first) escaped with a leading quote.
import { createRequire } from "node:module";
import type * as CsvStringify from "csv-stringify/sync";
import { lazy } from "./lazy.ts";

const csvStringify = lazy(() => createRequire(import.meta.url)("csv-stringify/sync") as typeof CsvStringify);

/** The header and the records as a spreadsheet's CSV file. */
export function spreadsheetCsv(header: readonly string[], records: ReadonlyArray<readonly string[]>): Buffer {
  const text = csvStringify().stringify(
    records.map((r) => r.map((v) => v.normalize("NFC"))),
    {
      bom: true,
      header: true,
      columns: header.map((h) => h.normalize("NFC")),
      record_delimiter: "windows",
      // Naming the delimiter turns this off by default; a bare \n or \r inside a field must still be quoted.
      quote_record_delimiter: true,
      escape_formulas: true,
    },
  );
  return Buffer.from(text, "utf8");
}
