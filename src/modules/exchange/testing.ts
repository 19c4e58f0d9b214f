// Test factories of the exchange: two agencies of the test's own hosted on this node (and a third, whose officer
// must see nothing of theirs), their clerks and leaders, and the outbox run to the end.
import type { Actor } from "../../platform/auth/actor.ts";
import { testWorker } from "../../platform/jobs/testing.ts";
import type { Context } from "../../context.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { buildOfficer, type TestAccount } from "../identity/testing.ts";
import type { SendInput } from "./service.ts";
import { createDevelopmentCa, issueAgencyCertificate } from "./signing/ca.ts";

export const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

export interface ExchangeSetting {
  sender: AgencyDto;
  recipient: AgencyDto;
  other: AgencyDto;
  cast: {
    /** Văn thư of the sending agency (the desk's role). */
    clerkA: TestAccount;
    leaderA: TestAccount;
    clerkB: TestAccount;
    leaderB: TestAccount;
    /** A specialist of the recipient's office, to whom documents are assigned. */
    specialistB: TestAccount;
    /** A leader of a third agency. */
    outsider: TestAccount;
  };
}

export async function exchangeSetting(ctx: Context): Promise<ExchangeSetting> {
  const sender = await buildAgency(ctx, { name: "Sở Nội vụ tỉnh Thử", kind: "specialised_agency" });
  const recipient = await buildAgency(ctx, { name: "Sở Tài chính tỉnh Thử", kind: "specialised_agency" });
  const other = await buildAgency(ctx, { name: "Sở Y tế tỉnh Thử", kind: "specialised_agency" });
  const officer = (agency: AgencyDto, role: "receiver" | "leader" | "specialist", fullName: string, department: string | null = null) =>
    buildOfficer(ctx, { agency, roles: [role], fullName, department, email: null });
  return {
    sender,
    recipient,
    other,
    cast: {
      clerkA: await officer(sender, "receiver", "Văn Thư Gửi"),
      leaderA: await officer(sender, "leader", "Lãnh Đạo Gửi"),
      clerkB: await officer(recipient, "receiver", "Văn Thư Nhận"),
      leaderB: await officer(recipient, "leader", "Lãnh Đạo Nhận"),
      specialistB: await officer(recipient, "specialist", "Chuyên Viên Nhận", "van-phong"),
      outsider: await officer(other, "leader", "Người Ngoài"),
    },
  };
}

export function actorOf(ctx: Context, who: TestAccount): Actor {
  return ctx.identity.actorFor(who.user, { loa: 0 });
}

/** A document from the setting's sender to `to` (the recipient by default), its file stored. */
export async function sendInput(ctx: Context, s: ExchangeSetting, over: Partial<SendInput> = {}): Promise<SendInput> {
  return {
    to: [s.recipient.code],
    subject: "Về việc báo cáo tình hình thực hiện thủ tục hành chính quý IV",
    notation: "SNV-VP",
    signer: { fullName: "Nguyễn Văn Ký", position: "Giám đốc" },
    files: [await ctx.exchange.storeFile(PDF, "cong-van.pdf")],
    ...over,
  };
}

/** Runs the queue's due jobs until none is left (retries with a zero backoff come due at once); returns the runs. */
export async function drain(ctx: Context, limit = 200): Promise<number> {
  const worker = testWorker(ctx.database, ctx.jobs, { concurrency: 1 });
  let total = 0;
  for (let i = 0; i < limit; i++) {
    const n = await worker.runOnce();
    if (n === 0) return total;
    total += n;
  }
  throw new Error("drain: the queue did not empty");
}

/** A certificate for `agencyCode` as another node's CA issues it (the agency signs there; this node registers it). */
export async function foreignCertificate(agencyCode: string, agencyName: string, now = new Date()): Promise<string> {
  const ca = await createDevelopmentCa({ name: `CA của nút khác (${agencyCode})`, now });
  return (await issueAgencyCertificate(ca, { agencyCode, agencyName }, { now })).certificatePem;
}
