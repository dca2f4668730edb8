import type { Rule } from '../rule.js';
import { addressesRule } from './addresses.js';
import { declaredRule } from './declared.js';
import { dependsOnRule } from './depends-on.js';
import { dockerSocketRule } from './docker-socket.js';
import { domainRule } from './domain.js';
import { exposureRule } from './exposure.js';
import { imageRule } from './image.js';
import { metricsRule } from './metrics.js';
import { networkModeRule } from './network-mode.js';
import { portsRule } from './ports.js';
import { resourcesRule } from './resources.js';
import { routesRule } from './routes.js';
import { secretsRule } from './secrets.js';
import { storageRule } from './storage.js';
import { vpnRule } from './vpn.js';

/** Every rule the lab is checked by; a new rule is one file plus one line here. */
export const rules: readonly Rule[] = [
  // per host: compose
  networkModeRule,
  portsRule,
  declaredRule,
  dependsOnRule,
  imageRule,
  secretsRule,
  // across the lab
  addressesRule,
  domainRule,
  routesRule,
  exposureRule,
  vpnRule,
  storageRule,
  resourcesRule,
  dockerSocketRule,
  metricsRule,
];
