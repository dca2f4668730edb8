import { defineHost } from '@homelab/kit';
import { vmAgents } from '@homelab/shared';
import vm from './host.js';
import immichMachineLearning from './services/immich-machine-learning.js';
import immichPostgres from './services/immich-postgres.js';
import immichServer from './services/immich-server.js';
import immichValkey from './services/immich-valkey.js';
import nextcloud from './services/nextcloud.js';
import nextcloudCron from './services/nextcloud-cron.js';
import nextcloudPostgres from './services/nextcloud-postgres.js';
import nextcloudRedis from './services/nextcloud-redis.js';
import vaultwarden from './services/vaultwarden.js';

export default defineHost(vm, {
  services: [
    ...vmAgents,
    immichMachineLearning,
    immichPostgres,
    immichServer,
    immichValkey,
    nextcloud,
    nextcloudCron,
    nextcloudPostgres,
    nextcloudRedis,
    vaultwarden,
  ],
  volumes: ['immich-model-cache'],
});
