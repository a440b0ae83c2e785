// Kind and service names come from the server's schema (both languages in one place), picked by the
// interface language; the page's own words live in locales/.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { stationKindNames, stationServiceNames } from '../../../server/modules/stations/stations.schema';
import type { StationKindCode, StationService } from './api';

export function useStationNames() {
  const english = useTranslation().i18n.language === 'en';
  // Stable between renders so charts and memoized options do not redraw for nothing.
  return useMemo(
    () => ({
      kind: (code: StationKindCode) => stationKindNames[code][english ? 'en' : 'zh'],
      service: (code: StationService) => stationServiceNames[code][english ? 'en' : 'zh'],
    }),
    [english],
  );
}
