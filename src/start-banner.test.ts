// What `motcua start` says before its logs (issue 15, item 7).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "./platform/config/index.ts";
import { startBanner } from "./start-banner.ts";

describe("the start banner", () => {
  it("says the address to open, the demo password and where the data lives", () => {
    const config = loadConfig({ MOTCUA_DATA_DIR: "/srv/motcua-data", PORT: "3100" });
    const text = startBanner(config, { web: true, demo: { password: "the-demo-password", citizen: "001199000001", officer: "tiepnhan" } });
    assert.match(text, /open: +http:\/\/localhost:3100 +\(cán bộ \/ officers: http:\/\/localhost:3100\/office\)/);
    assert.match(text, /password the-demo-password, e\.g\. 001199000001 \(công dân \/ citizen\), tiepnhan/);
    assert.match(text, /data: +\/srv\/motcua-data \(embedded database in \/srv\/motcua-data\/pgdata, files in \/srv\/motcua-data\/files\)/);
  });

  it("names a PostgreSQL server without its password, and no demo password without the demo data", () => {
    const config = loadConfig({ DATABASE_URL: "postgres://motcua:s3cret@db.internal:5432/motcua", MOTCUA_PUBLIC_URL: "https://dvc.example.vn" });
    const text = startBanner(config, { web: true, demo: null });
    assert.match(text, /PostgreSQL db\.internal:5432\/motcua/);
    assert.doesNotMatch(text, /s3cret|password|mật khẩu/);
    assert.match(text, /https:\/\/dvc\.example\.vn/);
    assert.doesNotMatch(startBanner(config, { web: false, demo: null }), /open/, "a worker alone has no address");
  });
});
