// The settings of the data-subject rights and the abuse controls (cfg), read from the environment once.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "../../../platform/config/index.ts";
import { DEFAULT_RIGHTS } from "./settings.ts";

describe("data-rights settings", () => {
  it("defaults to the values DOMAIN.md §10 gives, and reads each from its variable", () => {
    assert.deepEqual(loadConfig({}).registries.rights, DEFAULT_RIGHTS);
    const rights = loadConfig({
      MOTCUA_REGISTRY_OFFICER_PER_MINUTE: "10",
      MOTCUA_DATA_REQUEST_REPLY_WORKING_DAYS: "3",
      MOTCUA_DATA_REQUEST_DAYS_DELETE: "30",
      MOTCUA_DATA_BREACH_NOTIFY_HOURS: "48",
    }).registries.rights;
    assert.deepEqual(rights, { ...DEFAULT_RIGHTS, officerPerMinute: 10, requestReplyWorkingDays: 3, requestDays: { see: 10, correct: 10, delete: 30 }, breachNotifyHours: 48 });
    assert.throws(() => loadConfig({ MOTCUA_REGISTRY_CLIENT_PER_MINUTE: "0" }), ConfigError);
    assert.throws(() => loadConfig({ MOTCUA_DATA_REQUEST_DAYS_SEE: "0" }), ConfigError);
  });

  it("refuses the retired MOTCUA_DATA_REQUEST_HOURS with what replaced it, rather than ignoring it", () => {
    assert.throws(() => loadConfig({ MOTCUA_DATA_REQUEST_HOURS: "72" }), (err: unknown) => err instanceof ConfigError && /MOTCUA_DATA_REQUEST_REPLY_WORKING_DAYS/.test(err.message));
  });
});
