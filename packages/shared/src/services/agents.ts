import cadvisor from './cadvisor.js';
import nodeExporter from './node-exporter.js';

export { cadvisor, nodeExporter };

/** The monitoring agents every VM runs beside its own stack: list them in each VM's index.ts. */
export const vmAgents = [cadvisor, nodeExporter] as const;
