// Migration 0038 (Decree 356/2025 and Law 91/2025, docs/DOMAIN.md §10) on rows written before it: a request handled
// before the reply was kept gets its first handling as its reply, and a breach not notified yet gets its hours
// counted from its discovery. Applied to a database migrated up to 0037 and given such rows (an embedded database of
// its own: the test templates are migrated to the end).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { databaseBefore } from "../../../../test/helpers/db.ts";
import { type Database, sql } from "../../../platform/db/index.ts";

const MIGRATION = "0038_data_request_reply";
/** A timestamp as raw SQL rows give it (a Date or its text, by driver), as ISO 8601. */
const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

describe(`migration ${MIGRATION}`, () => {
  let database: Database;
  let before0038: Awaited<ReturnType<typeof databaseBefore>>;
  before(async () => {
    before0038 = await databaseBefore(MIGRATION);
    database = before0038.database;
  });
  after(() => before0038?.close());

  it("gives a request handled before it its first handling as its reply, and a breach not notified its hours from its discovery", async () => {
    const request = (id: string, status: string, answeredAt: string | null) =>
      database.rows(sql`
        INSERT INTO data_subject_requests (id, user_id, username, full_name, agency_code, kind, detail, status, filed_at, due_at, answered_at)
        VALUES (${id}, 'u', '001199000001', 'Nguyễn Thị Mai', NULL, 'see', '', ${status}, '2026-11-02T02:00:00Z', '2026-11-05T02:00:00Z', ${answeredAt})`);
    await request("taken-up", "in_progress", null);
    await request("answered-after-taking-up", "done", "2026-11-04T08:00:00Z");
    await request("answered-at-once", "refused", "2026-11-03T09:00:00Z");
    await request("waiting", "received", null);
    for (const [id, at] of [
      ["taken-up", "2026-11-02T03:00:00Z"],
      ["answered-after-taking-up", "2026-11-02T04:00:00Z"],
      ["answered-after-taking-up", "2026-11-04T08:00:00Z"],
    ]) {
      await database.rows(sql`
        INSERT INTO audit_log (at, actor, action, subject_type, subject_id) VALUES (${at}, 'user:giamsat', 'registries.data_request_handled', 'data_subject_request', ${id})`);
    }
    const breach = (id: string, occurredAt: string | null, notifyDueAt: string, notifiedAt: string | null) =>
      database.rows(sql`
        INSERT INTO data_breaches (id, agency_code, discovered_at, occurred_at, description, subjects, recorded_at, recorded_by, notify_due_at, notified_at)
        VALUES (${id}, NULL, '2026-11-10T02:00:00Z', ${occurredAt}, 'Sự cố', 'Người nộp hồ sơ', '2026-11-10T03:00:00Z', 'Giám sát', ${notifyDueAt}, ${notifiedAt})`);
    // Recorded under Decree 13/2023: 72 hours from when it occurred (a day before its discovery).
    await breach("open", "2026-11-09T02:00:00Z", "2026-11-12T02:00:00Z", null);
    await breach("notified", "2026-11-09T02:00:00Z", "2026-11-12T02:00:00Z", "2026-11-11T02:00:00Z");
    await breach("occurrence-unknown", null, "2026-11-13T02:00:00Z", null);

    assert.deepEqual(await before0038.applyIt(), [MIGRATION]);

    const replies = await database.rows<{ id: string; replied_at: Date | string | null; reply_due_at: Date | string | null }>(sql`SELECT id, replied_at, reply_due_at FROM data_subject_requests ORDER BY id`);
    assert.deepEqual(
      replies.map((r) => [r.id, iso(r.replied_at), iso(r.reply_due_at)]),
      [
        ["answered-after-taking-up", "2026-11-02T04:00:00.000Z", null],
        ["answered-at-once", "2026-11-03T09:00:00.000Z", null],
        ["taken-up", "2026-11-02T03:00:00.000Z", null],
        ["waiting", null, null],
      ],
      "the first handling the audit log holds, else the answer; none for a request not handled; no reply deadline made up",
    );
    const breaches = await database.rows<{ id: string; notify_due_at: Date | string }>(sql`SELECT id, notify_due_at FROM data_breaches ORDER BY id`);
    assert.deepEqual(
      breaches.map((b) => [b.id, iso(b.notify_due_at)]),
      [
        ["notified", "2026-11-12T02:00:00.000Z"],
        ["occurrence-unknown", "2026-11-13T02:00:00.000Z"],
        ["open", "2026-11-13T02:00:00.000Z"],
      ],
      "the open breach's 72 hours from its discovery; a notified one, and one counted from its discovery already, unchanged",
    );
  });
});
