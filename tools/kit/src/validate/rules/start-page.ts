import { createRequire } from 'node:module';
import { defineRule, servicePath } from '../rule.js';
import { routeNames } from '../../model/routes.js';
import { isSecretRef } from '../../model/secret.js';
import { HOMEPAGE_CONFIG_DIR, HOMEPAGE_DIR, homepageFileVariable, homepageServices, START_PAGE_WIDGETS, startPage, startPageEntries } from '../../model/start-page.js';
import { homepageServicesSchema } from '../../formats/homepage.js';

const require = createRequire(import.meta.url);
type Validator = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
let validator: Validator | undefined;
function servicesValidator(): Validator {
  if (validator) return validator;
  // Loaded on first use, as the compose schema's fallback loads it (validate/compose-schema.ts).
  const Ajv = (require('ajv') as { default: new (o: object) => { compile(s: object): Validator } }).default;
  validator = new Ajv({ strict: false, allErrors: true }).compile(homepageServicesSchema);
  return validator;
}

/**
 * The start page (model/start-page.ts): every widget a type the kit renders, with the API key it
 * needs and a URL its host reaches; the Homepage service reads the rendered folder read-only and
 * logs to stdout, answers its own route's names, sits behind forward auth; and the rendered
 * services.yaml matches Homepage's documented format.
 */
export const startPageRule = defineRule({
  description: "The start page: widgets with their key and a reachable URL, Homepage's settings, its services.yaml as Homepage reads it",
  docs: 'findings.md#the-start-page',
  codes: [
    'start-page-widget-unknown', 'start-page-widget-key-missing', 'start-page-widget-key-clash', 'start-page-widget-key-env', 'start-page-widget-unreachable',
    'start-page-config', 'start-page-log-file', 'start-page-allowed-hosts', 'start-page-public', 'start-page-unrouted', 'start-page-invalid',
  ],
  check(lab, findings) {
    const page = startPage(lab);
    const keyOf = new Map<string, { name: string; path: string }>();
    for (const e of startPageEntries(lab)) {
      if (!e.widget?.key || !isSecretRef(e.widget.key)) continue;
      const variable = homepageFileVariable(e.widget.key);
      const seen = keyOf.get(variable);
      if (seen && seen.name !== e.widget.key.name) {
        findings.error('start-page-widget-key-clash', `${e.path}.page.widget.key`, `secrets "${seen.name}" (${seen.path}) and "${e.widget.key.name}" both become ${variable} on the start page, so one widget would get the other's key; rename one of them.`);
      } else keyOf.set(variable, { name: e.widget.key.name, path: e.path });
      const set = page?.service.environment?.[variable];
      if (page && (!isSecretRef(set) || set.name !== e.widget.key.name)) {
        findings.error('start-page-widget-key-env', servicePath(page.host, page.service, `environment.${variable}`), `${page.service.name} sets ${variable} by hand, but ${e.name}'s widget takes its key from secret "${e.widget.key.name}": Homepage would read another file, or none. Leave ${variable} out: the kit sets it from the widget.`);
      }
    }
    for (const e of startPageEntries(lab)) {
      if (!e.widget) continue;
      const at = `${e.path}.page.widget`;
      const needs = START_PAGE_WIDGETS[e.widget.type];
      if (!needs) {
        findings.error('start-page-widget-unknown', `${at}.type`, `"${e.widget.type}" is not a widget type the kit renders for Homepage; use one of ${Object.keys(START_PAGE_WIDGETS).join(', ')}, or drop the widget.`);
        continue;
      }
      if (needs === 'key' && !isSecretRef(e.widget.key)) {
        findings.error('start-page-widget-key-missing', `${at}.key`, `Homepage's ${e.widget.type} widget needs the service's API key: give key: secret('<name>'), the secret the service itself is given its key from.`);
      }
      if (page && !e.widget.url) {
        findings.error('start-page-widget-unreachable', at, `the start page on ${page.host.name} cannot reach ${e.name}'s port: nothing publishes it to ${page.host.name}. Publish the route's port, or drop the widget.`);
      }
    }
    if (!page) return;
    const { host, service } = page;
    const config = (service.volumes ?? []).find((v) => v.target === HOMEPAGE_CONFIG_DIR);
    if (!config || !('rendered' in config) || config.rendered !== HOMEPAGE_DIR || !config.readOnly) {
      findings.error('start-page-config', servicePath(host, service, 'volumes'), `${service.name} must mount the rendered start page read-only: { rendered: '${HOMEPAGE_DIR}', target: '${HOMEPAGE_CONFIG_DIR}', readOnly: true }; otherwise Homepage shows its skeleton, not the lab's routes.`);
    } else if (service.environment?.LOG_TARGETS !== 'stdout') {
      findings.error('start-page-log-file', servicePath(host, service, 'environment.LOG_TARGETS'), `Homepage writes its log to ${HOMEPAGE_CONFIG_DIR}/logs unless LOG_TARGETS is 'stdout', and that folder is read-only: it would fail on the first page. Set LOG_TARGETS: 'stdout'.`);
    }
    if (!service.route) {
      findings.error('start-page-unrouted', servicePath(host, service, 'route'), `${service.name} has no route: opened at a published address, Homepage refuses every API call whose Host it does not allow, and nothing derives HOMEPAGE_ALLOWED_HOSTS. Give it a route behind forward auth: route: { host: 'home', port: ${service.listen?.[0] ?? 3000}, access: 'authenticated' }.`);
    } else {
      const allowed = String(service.environment?.HOMEPAGE_ALLOWED_HOSTS ?? '').split(',');
      const missing = routeNames(lab, service.route).filter((n) => !allowed.includes(n));
      if (allowed.includes('*') || missing.length > 0) {
        findings.error('start-page-allowed-hosts', servicePath(host, service, 'environment.HOMEPAGE_ALLOWED_HOSTS'), allowed.includes('*') ? `'*' turns off Homepage's Host check; leave HOMEPAGE_ALLOWED_HOSTS out and the kit sets it to the route's names.` : `Homepage answers 400 to every API call whose Host is not allowed, so the page would list nothing at ${missing.join(', ')}; leave HOMEPAGE_ALLOWED_HOSTS out (the kit derives it) or add them.`);
      }
      if (service.route.access !== 'authenticated') {
        findings.error('start-page-public', servicePath(host, service, 'route.access'), `the start page lists every route of the lab and what its widgets read with their API keys; keep it behind forward auth: access: 'authenticated'.`);
      }
    }
    const check = servicesValidator();
    if (!check(homepageServices(lab))) {
      for (const e of check.errors ?? []) findings.error('start-page-invalid', servicePath(host, service), `the rendered services.yaml departs from Homepage's format at ${e.instancePath || '/'}: ${e.message ?? 'invalid'}.`);
    }
  },
});
