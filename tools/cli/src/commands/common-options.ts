import type { OptionDecl } from '../command.js';

export const JSON_OPTION = { type: 'boolean', description: 'print one JSON document on stdout (and nothing else there)' } as const satisfies OptionDecl;
export const VERBOSE_OPTION = { type: 'boolean', description: 'list every warning (by default repeated warnings of one code collapse into one line)' } as const satisfies OptionDecl;
export const BASE_OPTION = { type: 'string', value: 'REF', description: 'the git ref to compare with (required), e.g. origin/main or HEAD~1' } as const satisfies OptionDecl;
