import { datasetInventory, formatDatasetInventory, type LoadedLab } from '@homelab/kit';

/** `homelab inventory --datasets`: the pool's tree, for a person or (json) as one document. */
export function printDatasetInventory(loaded: LoadedLab, json: boolean): number {
  const inv = datasetInventory(loaded.lab);
  process.stdout.write(json ? `${JSON.stringify(inv, null, 2)}\n` : formatDatasetInventory(inv));
  return 0;
}
