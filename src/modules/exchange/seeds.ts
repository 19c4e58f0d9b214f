// Demo data (MOTCUA_DEMO): a few official documents between the demo agencies of Bắc Ninh, sent by their clerks;
// the worker delivers them once the node runs, and the recipients' automatic 01 comes back.
import { systemActor } from "../../platform/auth/actor.ts";
import type { Seed } from "../../platform/db/seeds.ts";
import type { DirectoryService } from "../directory/index.ts";
import type { ExchangeService } from "./service.ts";
import type { AgencyKeysService } from "./signing/service.ts";

const PROVINCE = "000.00.00.H06";
const CENTRE = "000.00.01.H06";
const JUSTICE = "000.00.11.H06";

/** A one-page PDF naming the document (illustrative). */
function demoPdf(title: string): Buffer {
  const text = title.normalize("NFD").replace(/\p{M}+/gu, "").replace(/[đĐ]/g, "d").replace(/[()\\]/g, "");
  return Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
}

const DOCUMENTS = [
  { from: JUSTICE, to: [PROVINCE], notation: "STP-VP", type: { type: 9, typeName: "Báo cáo" }, subject: "Báo cáo kết quả giải quyết thủ tục hành chính lĩnh vực hộ tịch quý IV năm 2026", signer: "Phạm Văn Lãnh", position: "Phó Giám đốc" },
  { from: PROVINCE, to: [JUSTICE, CENTRE], notation: "UBND-KSTT", type: { type: 8, typeName: "Kế hoạch" }, subject: "Kế hoạch rà soát, đơn giản hóa thủ tục hành chính năm 2027", signer: "Chu Văn Tỉnh", position: "Phó Chủ tịch" },
  { from: CENTRE, to: [JUSTICE], notation: "TTPVHCC", type: { type: 5, typeName: "Công văn" }, subject: "Về việc cử công chức làm việc tại Trung tâm Phục vụ hành chính công", signer: "Trần Văn Tiếp", position: "Giám đốc" },
];

export function demoExchangeSeed(exchange: ExchangeService): Seed {
  return {
    name: "exchange.demo-documents",
    version: "1",
    demo: true,
    async run(tx) {
      const actor = systemActor("seed");
      for (const d of DOCUMENTS) {
        const file = await exchange.storeFile(demoPdf(d.subject), `${d.notation}.pdf`);
        await exchange.send(actor, { from: d.from, to: d.to, subject: d.subject, notation: d.notation, documentType: d.type, signer: { fullName: d.signer, position: d.position }, files: [file] }, {}, tx);
      }
    },
  };
}

/**
 * The demo agencies' signing keys, issued by this installation's development CA (made on first use): the demo's
 * documents leave signed. Another node of the demo trusts them with `motcua exchange keys trust` (README, "Document
 * exchange between nodes"); the agencies of this node verify each other with the node's own keys.
 */
export function demoKeysSeed(keys: AgencyKeysService, directory: DirectoryService): Seed {
  return {
    name: "exchange.demo-keys",
    version: "1",
    demo: true,
    async run(tx) {
      const actor = systemActor("seed");
      for (const code of [PROVINCE, CENTRE, JUSTICE]) {
        const agency = await directory.agency(code, tx).catch(() => null);
        if (!agency) continue;
        await keys.generate(actor, { agencyCode: code, agencyName: agency.name }, tx);
      }
    },
  };
}
