// Which failures say the database cannot serve now. The driver's own failures, provoked against a real server,
// are in test/faults/database-faults.test.ts; here, their shapes (a server's SQLSTATE, a socket's code, the
// driver's codeless errors, the wrappings they arrive in), and that only the database's count.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DrizzleQueryError } from "./drizzle.ts";
import { DatabaseUnavailableError, markDatabaseFailure, unavailability, unavailableReason } from "./faults.ts";

/** The reason a failure's shape gives (`unavailability`), whoever's it is. */
const shapeOf = (err: unknown) => unavailability(err)?.reason ?? null;
const serverError = (code: string, message = "server says") => Object.assign(new Error(message), { code, severity: "ERROR" });
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: "connect" });

describe("database unavailability", () => {
  it("knows a server that is restarting, out of disk, out of room or too slow by its SQLSTATE", () => {
    assert.equal(shapeOf(serverError("57P01", "terminating connection due to administrator command")), "restarting");
    assert.equal(shapeOf(serverError("57P02")), "restarting");
    assert.equal(shapeOf(serverError("57P03", "the database system is starting up")), "restarting");
    assert.equal(shapeOf(serverError("53100", 'could not extend file "base/5/16384": No space left on device')), "disk_full");
    assert.equal(shapeOf(serverError("53300")), "busy");
    assert.equal(shapeOf(serverError("08006")), "unreachable");
    assert.equal(shapeOf(serverError("08P01")), "unreachable");
    assert.deepEqual(unavailability(serverError("57014", "canceling statement due to statement timeout")), { reason: "timeout", check: false });
    assert.deepEqual(unavailability(serverError("57P01")), { reason: "restarting", check: true });
  });

  it("knows a server out of reach by its socket's error", () => {
    for (const code of ["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND"]) {
      assert.equal(shapeOf(socketError(code)), "unreachable", code);
    }
  });

  it("knows the driver's errors of a lost or silent connection, which carry no code", () => {
    assert.equal(shapeOf(new Error("Connection terminated unexpectedly")), "unreachable");
    assert.equal(shapeOf(new Error("Client has encountered a connection error and is not queryable")), "unreachable");
    assert.equal(shapeOf(new Error("Connection terminated due to connection timeout", { cause: new Error("timeout expired") })), "timeout");
    assert.equal(shapeOf(new Error("Query read timeout")), "timeout");
    assert.equal(shapeOf(new Error("timeout exceeded when trying to connect")), "busy");
    assert.equal(shapeOf(new DatabaseUnavailableError("timeout")), "timeout");
  });

  it("finds them inside Drizzle's wrapping, a cause chain and an AggregateError", () => {
    const wrapped = new DrizzleQueryError("insert into dossiers …", [], serverError("57P01") as Error);
    assert.equal(shapeOf(wrapped), "restarting");
    assert.equal(shapeOf(new Error("outer", { cause: new Error("middle", { cause: socketError("ECONNRESET") }) })), "unreachable");
    assert.equal(shapeOf(new AggregateError([socketError("ECONNREFUSED"), socketError("ECONNREFUSED")], "")), "unreachable");
  });

  it("leaves every other failure its own meaning", () => {
    assert.equal(shapeOf(serverError("23505", "duplicate key value violates unique constraint")), null);
    assert.equal(shapeOf(new DrizzleQueryError("select", [], serverError("42P01") as Error)), null);
    // A server's error is known by its code, never by its text, whatever the text says.
    assert.equal(shapeOf(serverError("XX000", "Connection terminated unexpectedly")), null);
    assert.equal(shapeOf(new Error("Connection terminated unexpectedly, or so says a bug")), null);
    assert.equal(shapeOf(new TypeError("Cannot read properties of undefined")), null);
    assert.equal(shapeOf(null), null);
    assert.equal(shapeOf("ECONNREFUSED"), null);
    const loop: Error & { cause?: unknown } = new Error("loop");
    loop.cause = loop;
    assert.equal(shapeOf(loop), null);
  });

  it("counts only the database's failures: a refused connection of a peer's HTTP endpoint is not the database down", () => {
    const peer = new TypeError("fetch failed", { cause: socketError("ECONNREFUSED") });
    assert.equal(unavailableReason(peer), null);
    const database = socketError("ECONNREFUSED");
    markDatabaseFailure(database);
    assert.equal(unavailableReason(database), "unreachable");
    assert.equal(unavailableReason(new DrizzleQueryError("select", [], database)), "unreachable");
    const constraint = serverError("23505");
    markDatabaseFailure(constraint);
    assert.equal(unavailableReason(constraint), null);
    assert.equal(unavailableReason(new DatabaseUnavailableError("restarting")), "restarting");
  });
});
