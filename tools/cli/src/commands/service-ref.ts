import { findService, isDeployError, type DeployRequest, type LabService, type LoadedLab } from '@homelab/kit';
import { UsageError } from '../errors.js';
import { deployRequest, type TargetValues } from './target-options.js';

/** The one service a command names (`host/service`, or a name only one host has), and how to reach its host. */
export async function serviceRequest(loaded: LoadedLab, ref: string | undefined, values: TargetValues): Promise<{ service: LabService; request: DeployRequest }> {
  if (!ref) throw new UsageError('name a service: host/service, or its name alone when only one host runs it (homelab ps lists them)');
  let service: LabService;
  try {
    service = findService(loaded.lab, ref);
  } catch (e) {
    // A name the lab does not have is a mistake in the command line (exit 2), like an unknown host.
    if (isDeployError(e)) throw new UsageError(e.message);
    throw e;
  }
  return { service, request: await deployRequest(loaded, [service.host], values, true) };
}
