import type { Rule } from '../rule.js';
import { declaredRule } from './declared.js';
import { dependsOnRule } from './depends-on.js';
import { imageRule } from './image.js';
import { networkModeRule } from './network-mode.js';
import { portsRule } from './ports.js';
import { secretsRule } from './secrets.js';

/** Every rule the lab is checked by; a new rule is one file plus one line here. */
export const rules: readonly Rule[] = [networkModeRule, portsRule, declaredRule, dependsOnRule, imageRule, secretsRule];
