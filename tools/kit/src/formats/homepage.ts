import { START_PAGE_WIDGETS } from '../model/start-page.js';

const url = { type: 'string', pattern: '^https?://[^\\s/]+' } as const;

/**
 * Homepage's services.yaml as its documentation describes it (gethomepage.dev/configs/services,
 * docs/configs/services.md of gethomepage/homepage v1.12.3, read 2026-12-08): a list of groups,
 * each a one-key mapping `<group>: [entries]`; an entry is a one-key mapping whose value is a
 * service (href, description, icon, ...) or a list of entries (a nested group). Homepage
 * publishes no schema, so this is ours, closed on the documented service keys; a widget is one of
 * the types the kit renders (START_PAGE_WIDGETS) with its documented `url` and `key`.
 */
export const homepageServicesSchema = {
  type: 'array',
  items: { $ref: '#/$defs/group' },
  $defs: {
    group: { type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: { type: 'array', items: { $ref: '#/$defs/entry' } } },
    entry: {
      type: 'object',
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: { anyOf: [{ $ref: '#/$defs/service' }, { type: 'array', items: { $ref: '#/$defs/entry' } }] },
    },
    service: {
      type: 'object',
      additionalProperties: false,
      properties: {
        href: url,
        description: { type: 'string' },
        icon: { type: 'string', minLength: 1 },
        ping: { type: 'string' },
        siteMonitor: url,
        server: { type: 'string' },
        container: { type: 'string' },
        showStats: { type: 'boolean' },
        statusStyle: { enum: ['dot', 'basic'] },
        weight: { type: 'integer' },
        target: { enum: ['_blank', '_self', '_top'] },
        widget: { $ref: '#/$defs/widget' },
        widgets: { type: 'array', items: { $ref: '#/$defs/widget' } },
      },
    },
    widget: {
      type: 'object',
      required: ['type', 'url'],
      additionalProperties: false,
      properties: {
        type: { enum: Object.keys(START_PAGE_WIDGETS) },
        url,
        key: { type: 'string', minLength: 1 },
      },
    },
  },
} as const;
