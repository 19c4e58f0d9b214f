// What officers do with a received document (issue 16, items 4, 5, 7): accept (03) or refuse (02) it, assign it
// to a department and officer with a deadline (04), report it processing (05) and done (06), and answer a
// revocation, update or replacement (15 agrees, 16 refuses). Each answer goes back to the sender, signed, as a
// status message.
import { type Actor, actorRef, OFFICER_ROLES } from "../../platform/auth/actor.ts";
import type { StatusCode } from "./edxml/model.ts";
import { ExchangeDocumentNotFound, ExchangeForbidden, ExchangeStateConflict, InvalidExchangeInput } from "./errors.ts";
import { IN_TRANSITIONS, type OfficerCode } from "./model.ts";
import { actsFor, maySee, ROLES_FOR_CODE } from "./policy.ts";
import { copyById, type NewCopyRow, updateCopy } from "./repo.ts";
import { answerSender, statusFor } from "./service.receiving.ts";
import { type ExchangeDeps, organizationOf } from "./support.ts";

export interface AnswerInput {
  code: OfficerCode;
  description?: string | undefined;
  /** 04: the department, the officer (an account id of the agency) and the deadline (YYYY-MM-DD). */
  department?: string | undefined;
  assigneeId?: string | undefined;
  due?: string | undefined;
}

export function makeAnswers(deps: ExchangeDeps) {
  const { database, clock, directory, identity, audit } = deps;

  /** An officer of the agency who may be given a document: its specialists and leaders. */
  async function assignee(agency: string, id: string) {
    const officers = await identity.officersHolding({ within: agency, roles: [...OFFICER_ROLES], grantedAt: [agency] });
    return officers.find((o) => o.id === id && o.agencyCode === agency) ?? null;
  }

  return {
    /** The officers a leader of `agency` may assign a document to. */
    async assignees(actor: Actor, agency: string) {
      if (!maySee(actor, agency)) return [];
      const officers = await identity.officersHolding({ within: agency, roles: ["specialist", "leader"], grantedAt: [agency] });
      return officers.filter((o) => o.agencyCode === agency).map((o) => ({ id: o.id, fullName: o.fullName, departmentCode: o.departmentCode }));
    },

    async answer(actor: Actor, id: string, input: AnswerInput, meta: { requestId?: string } = {}): Promise<void> {
      const first = await copyById(database.db, id);
      if (!first || first.box !== "in" || !maySee(actor, first.agencyCode)) throw new ExchangeDocumentNotFound();
      const agency = first.agencyCode;
      if (!actsFor(actor, agency, ROLES_FOR_CODE[input.code])) throw new ExchangeForbidden(`trạng thái ${input.code} / status ${input.code}`);
      // Refused before the transaction when the state does not allow it (checked again under the lock).
      if ((input.code === "15" || input.code === "16") && !first.pendingChange) throw new ExchangeStateConflict(input.code, first.state);
      if (input.code !== "15" && input.code !== "16" && !IN_TRANSITIONS[input.code].from.includes(first.state)) throw new ExchangeStateConflict(input.code, first.state);
      const description = input.description?.trim() || undefined;
      const patch: Partial<NewCopyRow> = {};
      if (input.code === "02" && !description) throw new InvalidExchangeInput([{ path: "/description", message: "Cần nêu lý do từ chối." }]);
      if (input.code === "04") {
        const problems = [];
        const departments = (await directory.agency(agency)).departments;
        if (!input.department || !departments.some((d) => d.code === input.department)) problems.push({ path: "/department", message: "Chọn phòng ban của cơ quan." });
        const who = input.assigneeId ? await assignee(agency, input.assigneeId) : null;
        if (input.assigneeId && !who) problems.push({ path: "/assigneeId", message: "Cán bộ được giao không thuộc cơ quan." });
        if (input.due && !/^\d{4}-\d{2}-\d{2}$/.test(input.due)) problems.push({ path: "/due", message: "Hạn xử lý có dạng YYYY-MM-DD." });
        if (problems.length) throw new InvalidExchangeInput(problems);
        Object.assign(patch, { departmentCode: input.department!, assigneeId: who?.id ?? null, assigneeName: who?.fullName ?? null, assignmentDue: input.due ?? null });
      }
      const me = await organizationOf(directory, agency);
      const now = clock.now();
      await database.transaction(async (tx) => {
        const copy = (await copyById(tx, id, { lock: true }))!;
        if (input.code === "15" || input.code === "16") {
          const change = copy.pendingChange;
          if (!change) throw new ExchangeStateConflict(input.code, copy.state);
          patch.pendingChange = null;
          if (input.code === "15") {
            if (change.type === 1) patch.state = "recalled";
            if (change.type === 3) patch.state = "replaced";
            if (change.type === 2 && change.update) Object.assign(patch, { header: change.update.header, attachments: change.update.attachments, subject: change.update.header.subject });
          }
        } else {
          const t = IN_TRANSITIONS[input.code];
          if (!t.from.includes(copy.state)) throw new ExchangeStateConflict(input.code, copy.state);
          // A specialist reports on what was given to them, not on a colleague's.
          if ((input.code === "05" || input.code === "06") && copy.assigneeId && actor.type === "user" && actor.userId !== copy.assigneeId && !actsFor(actor, agency, ["leader", "agency_admin"])) {
            throw new ExchangeForbidden(`trạng thái ${input.code} / status ${input.code}`);
          }
          patch.state = t.to;
        }
        await updateCopy(tx, copy.id, patch);
        const staff = actor.type === "user" ? actor.fullName : undefined;
        const status = statusFor(copy, me, input.code as StatusCode, now, { description, staff });
        await answerSender(deps, tx, copy, status, now);
        await audit.record(tx, { actor, action: "exchange.answered", subject: { type: "exchange_document", id: copy.id }, requestId: meta.requestId ?? null, change: { ...input, by: actorRef(actor) } });
      });
    },
  };
}

export type Answers = ReturnType<typeof makeAnswers>;
