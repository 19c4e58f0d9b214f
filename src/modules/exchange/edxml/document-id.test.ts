import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { EdxmlError, formatDocumentId, parseDocumentId } from "./index.ts";

function refuses(run: () => unknown, problem: RegExp, element = "DocumentId"): void {
  assert.throws(run, (e: unknown) => e instanceof EdxmlError && e.element === element && problem.test(e.problem));
}

describe("DocumentId", () => {
  it("is {OrganId},{yyyy/MM/dd},{Number}/{Notation}", () => {
    const parts = { organId: "000.00.00.G22", promulgationDate: "2015/09/30", codeNumber: "7816", codeNotation: "VPCP-TTĐT" };
    assert.equal(formatDocumentId(parts), "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT");
    assert.deepEqual(parseDocumentId("000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"), parts);
  });

  it("keeps a notation holding / or , whole", () => {
    assert.deepEqual(parseDocumentId("000.00.51.H06,2024/01/31,12/QĐ-UBND/VX,2"), {
      organId: "000.00.51.H06",
      promulgationDate: "2024/01/31",
      codeNumber: "12",
      codeNotation: "QĐ-UBND/VX,2",
    });
  });

  it("reads back what it formats", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("000.00.00.G22", "000.00.51.H06", "001.02.51.H06"),
        fc.date({ min: new Date("1950-01-01T00:00:00Z"), max: new Date("2100-12-31T00:00:00Z"), noInvalidDate: true }),
        fc.stringMatching(/^[0-9A-Za-z.-]{1,10}$/),
        fc.stringMatching(/^[^\s]([^\r]{0,20}[^\s])?$/),
        (organId, d, codeNumber, codeNotation) => {
          const promulgationDate = d.toISOString().slice(0, 10).replaceAll("-", "/");
          const parts = { organId, promulgationDate, codeNumber, codeNotation };
          assert.deepEqual(parseDocumentId(formatDocumentId(parts)), parts);
        },
      ),
    );
  });

  it("refuses what is not one, saying why", () => {
    refuses(() => parseDocumentId("7816/VPCP-TTĐT"), /is not a DocumentId/);
    refuses(() => parseDocumentId("G22,2015/09/30,7816/VPCP"), /"G22" is not an agency code/);
    refuses(() => parseDocumentId("000.00.00.g22,2015/09/30,7816/VPCP"), /not an agency code/);
    refuses(() => parseDocumentId("000.00.00.G22,2015/02/29,7816/VPCP"), /"2015\/02\/29" is not a date/);
    refuses(() => parseDocumentId("000.00.00.G22,2015-09-30,7816/VPCP"), /is not a date/);
    refuses(() => parseDocumentId("000.00.00.G22,2015/09/30,7816"), /{Number}\/{Notation}/);
    refuses(() => parseDocumentId("000.00.00.G22,2015/09/30,/VPCP"), /{Number}\/{Notation}/);
    refuses(() => parseDocumentId("000.00.00.G22,2015/09/30,7816/ VPCP"), /begin or end with a space/);
    refuses(() => parseDocumentId("x", "edXMLHeader/MessageHeader/DocumentId"), /not a DocumentId/, "edXMLHeader/MessageHeader/DocumentId");
  });

  it("refuses to format a number that would read back differently", () => {
    const base = { organId: "000.00.00.G22", promulgationDate: "2015/09/30", codeNotation: "VPCP" };
    refuses(() => formatDocumentId({ ...base, codeNumber: "78/16" }), /may not hold "\/"/);
    refuses(() => formatDocumentId({ ...base, organId: "000.00.00.G22,x" , codeNumber: "1" }), /agency code|date/);
    refuses(() => formatDocumentId({ ...base, promulgationDate: "2015/13/01", codeNumber: "1" }), /not a date/);
  });
});
