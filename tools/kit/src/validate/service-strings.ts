import { isSecretRef } from '../model/secret.js';
import type { ServiceDef } from '../model/service.js';

/** A literal string a service hands to its container, with the field it is in. */
export interface ServiceString {
  readonly field: string;
  readonly value: string;
}

function list(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

/**
 * Every literal string of a service that reaches the container: environment values (not secret
 * references), labels, command, entrypoint and the healthcheck's test.
 */
export function serviceStrings(service: ServiceDef): ServiceString[] {
  const out: ServiceString[] = [];
  for (const [key, value] of Object.entries(service.environment ?? {})) {
    if (!isSecretRef(value)) out.push({ field: `environment.${key}`, value: String(value) });
  }
  for (const [key, value] of Object.entries(service.labels ?? {})) out.push({ field: `labels.${key}`, value });
  list(service.command).forEach((value, i) => out.push({ field: typeof service.command === 'string' ? 'command' : `command[${i}]`, value }));
  list(service.entrypoint).forEach((value, i) => out.push({ field: typeof service.entrypoint === 'string' ? 'entrypoint' : `entrypoint[${i}]`, value }));
  (service.healthcheck?.test ?? []).forEach((value, i) => out.push({ field: `healthcheck.test[${i}]`, value }));
  return out;
}

/** A port a healthcheck probes on the container's own loopback. */
const LOOPBACK_PORT = /\b(?:localhost|127\.0\.0\.1|\[::1\]):(\d+)\b/g;

/** The loopback ports a service's healthcheck probes, with the index of the test argument naming each. */
export function healthcheckPorts(service: ServiceDef): { port: number; index: number }[] {
  return (service.healthcheck?.test ?? []).flatMap((arg, index) => [...arg.matchAll(LOOPBACK_PORT)].map((m) => ({ port: Number(m[1]), index })));
}
