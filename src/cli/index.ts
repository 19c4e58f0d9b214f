// Each module's CLI commands, registered once at start. Add a module's commands here.
import "./commands.ts";
import "../platform/jobs/commands.ts";
import "../platform/audit/commands.ts";
import "../modules/oidc/commands.ts";
import "../platform/calendar/commands.ts";
