import { defineRule, eachService, servicePath } from '../rule.js';
import { durationMs } from '../../common/compose-units.js';

/** Docker's floor for a healthcheck's interval, timeout and start period (moby api/types/container MinimumDuration). */
const MINIMUM_MS = 1;

/**
 * A healthcheck `docker compose` and the daemon accept: a test that starts with CMD, CMD-SHELL or
 * NONE and has a command (compose-go loader/validate.go checkConsistency), durations with units
 * (compose-go types/duration.go), at least 1ms and retries not negative (moby daemon/container.go
 * validateHealthCheck). `stopGracePeriod` is a duration too.
 */
export const healthcheckFormatRule = defineRule({
  description: 'A healthcheck `docker compose` and the daemon accept',
  docs: 'findings.md#what-docker-compose-and-the-docker-daemon-refuse-per-host',
  codes: ['healthcheck-test-invalid', 'duration-invalid', 'healthcheck-retries-invalid'],
  check(lab, findings) {
    eachService(lab, (host, service) => {
      const at = (field: string) => servicePath(host, service, field);
      const check = service.healthcheck;
      if (check) {
        const [kind, ...command] = check.test;
        if (kind !== 'CMD' && kind !== 'CMD-SHELL' && kind !== 'NONE') {
          findings.error('healthcheck-test-invalid', at('healthcheck.test'), `healthcheck test ${JSON.stringify(check.test)} must start with "CMD" (then the program and its arguments), "CMD-SHELL" (then one shell command) or "NONE"; docker compose refuses anything else.`);
        } else if (kind !== 'NONE' && (command.length === 0 || command[0]!.trim() === '')) {
          findings.error('healthcheck-test-invalid', at('healthcheck.test'), `healthcheck test ${JSON.stringify(check.test)} has no command after "${kind}"; name the program to run, e.g. ["CMD", "curl", "-fsS", "http://localhost:8080/health"].`);
        } else if (kind === 'CMD-SHELL' && command.length > 1) {
          findings.error('healthcheck-test-invalid', at('healthcheck.test'), `"CMD-SHELL" takes one shell command string, not ${command.length}; join them (${JSON.stringify(command.join(' '))}) or use "CMD" with the program and its arguments.`);
        }
        for (const key of ['interval', 'timeout', 'startPeriod'] as const) {
          const value = check[key];
          if (value === undefined) continue;
          const ms = durationMs(String(value));
          if (ms === undefined) {
            findings.error('duration-invalid', at(`healthcheck.${key}`), `"${value}" is not a duration docker compose reads; give it a unit, e.g. "30s", "1m30s" or "500ms".`);
          } else if (ms !== 0 && ms < MINIMUM_MS) {
            findings.error('duration-invalid', at(`healthcheck.${key}`), `healthcheck ${key} "${value}" is below Docker's minimum of 1ms (or negative); the daemon refuses to create the container.`);
          }
        }
        if (check.retries !== undefined && (!Number.isInteger(check.retries) || check.retries < 0)) {
          findings.error('healthcheck-retries-invalid', at('healthcheck.retries'), `healthcheck retries must be a whole number of 0 or more, not ${check.retries}; the daemon refuses negative retries.`);
        }
      }
      if (service.stopGracePeriod !== undefined) {
        const ms = durationMs(service.stopGracePeriod);
        if (ms === undefined || ms < 0) {
          findings.error('duration-invalid', at('stopGracePeriod'), `"${service.stopGracePeriod}" is not a duration docker compose reads; give it a unit, e.g. "30s" or "2m".`);
        }
      }
    });
  },
});
