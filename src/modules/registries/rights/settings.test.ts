// The settings of the data-subject rights and the abuse controls (cfg), read from the environment once.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "../../../platform/config/index.ts";
import { DEFAULT_RIGHTS } from "./settings.ts";

describe("data-rights settings", () => {
  it("defaults to the values DOMAIN.md §10 gives, and reads each from its variable", () => {
    assert.deepEqual(loadConfig({}).registries.rights, DEFAULT_RIGHTS);
    const rights = loadConfig({ MOTCUA_REGISTRY_OFFICER_PER_MINUTE: "10", MOTCUA_DATA_REQUEST_HOURS: "240", MOTCUA_DATA_BREACH_NOTIFY_HOURS: "48" }).registries.rights;
    assert.deepEqual(rights, { ...DEFAULT_RIGHTS, officerPerMinute: 10, requestHours: 240, breachNotifyHours: 48 });
    assert.throws(() => loadConfig({ MOTCUA_REGISTRY_CLIENT_PER_MINUTE: "0" }), ConfigError);
  });
});
