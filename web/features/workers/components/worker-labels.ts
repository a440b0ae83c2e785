import type { TFunction } from 'i18next';
import type { Division, Platform } from '../../org/api';
import type { WorkerListItem } from '../api';

/** The platform's name in the current language; the id when the list of platforms has not arrived. */
export function platformName(platforms: readonly Platform[] | undefined, id: number, english: boolean): string {
  const platform = platforms?.find((p) => p.id === id);
  if (!platform) return `#${id}`;
  return english ? platform.nameEn || platform.name : platform.name;
}

export function workerCodeLabels(t: TFunction, worker: Pick<WorkerListItem, 'workType' | 'vehicle' | 'status'>) {
  return {
    workType: t(`workers.workType.${worker.workType}`),
    vehicle: t(`workers.vehicle.${worker.vehicle}`),
    status: t(`workers.status.${worker.status}`),
  };
}

export function cityName(cities: ReadonlyMap<string, Division> | undefined, code: string, english: boolean): string {
  const city = cities?.get(code);
  if (!city) return code;
  return english && city.nameEn ? city.nameEn : city.name;
}
