import {
  CarOutlined,
  CloudOutlined,
  CoffeeOutlined,
  FireOutlined,
  HddOutlined,
  HeartOutlined,
  ManOutlined,
  MedicineBoxOutlined,
  MobileOutlined,
  ThunderboltOutlined,
  TruckOutlined,
  WifiOutlined,
} from '@ant-design/icons';
import { Flex, Tag, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { STATION_SERVICES, type StationService } from '../api';
import { useStationNames } from '../names';

// One picture per service, so a rider sees at a glance whether there is charging without reading.
const icons: Record<StationService, ReactNode> = {
  rest_seats: <CoffeeOutlined />,
  hot_water: <FireOutlined />,
  microwave: <HddOutlined />,
  phone_charging: <MobileOutlined />,
  ebike_battery: <ThunderboltOutlined />,
  ev_charging: <CarOutlined />,
  toilet: <ManOutlined />,
  truck_parking: <TruckOutlined />,
  first_aid_kit: <MedicineBoxOutlined />,
  aed: <HeartOutlined />,
  wifi: <WifiOutlined />,
  shower: <CloudOutlined />,
};

export const serviceIcon = (service: StationService) => icons[service];

/** The services a station offers, as icons named for screen readers and on hover. */
export function ServiceIcons({ services }: { services: readonly StationService[] }) {
  const names = useStationNames();
  return (
    <Flex wrap gap={6} data-testid="station-services">
      {STATION_SERVICES.filter((s) => services.includes(s)).map((service) => (
        <Tooltip key={service} title={names.service(service)}>
          <span role="img" aria-label={names.service(service)} data-service={service} style={{ fontSize: 18, color: '#1677ff' }}>
            {icons[service]}
          </span>
        </Tooltip>
      ))}
    </Flex>
  );
}

type PickerProps = { value?: readonly StationService[]; onChange?: (value: StationService[]) => void; testId?: string };

/** Services as checkable tags with their icon: the station editor's and the phone filter's. */
export function ServicePicker({ value = [], onChange, testId = 'station-service-picker' }: PickerProps) {
  const names = useStationNames();
  const toggle = (service: StationService, checked: boolean) =>
    onChange?.(STATION_SERVICES.filter((s) => (s === service ? checked : value.includes(s))));
  return (
    <Flex wrap gap={6} data-testid={testId}>
      {STATION_SERVICES.map((service) => (
        <Tag.CheckableTag
          key={service}
          checked={value.includes(service)}
          onChange={(checked) => toggle(service, checked)}
          icon={icons[service]}
          data-service={service}
          aria-pressed={value.includes(service)}
          style={{ paddingBlock: 4, fontSize: 14 }}
        >
          {names.service(service)}
        </Tag.CheckableTag>
      ))}
    </Flex>
  );
}
