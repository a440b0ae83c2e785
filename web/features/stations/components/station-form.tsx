import { App, Button, Col, Form, Input, InputNumber, Row, Segmented, Select } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { CitySelect } from '../../org/components/city-select';
import { type CreateStationInput, type OpeningHours, STATION_KINDS, type StationDetail, type StationKindCode, type StationService, useStationsGeojson } from '../api';
import { cityCentreOf } from '../city-centres';
import { defaultHours, problemsOf } from '../hours';
import { useStationNames } from '../names';
import { HoursEditor } from './hours-editor';
import { ServicePicker } from './service-icons';
import { StationMap } from './station-map';
import { StationUnitSelect } from './station-unit-select';

export type StationFormValues = {
  name: string;
  kind: StationKindCode;
  unitId: number | null;
  operatorName?: string;
  cityCode: string | null;
  address: string;
  lat: number | null;
  lng: number | null;
  services: StationService[];
  hours: OpeningHours;
  capacity: number | null;
  contactPhone?: string;
  description?: string;
  status: 'active' | 'suspended';
  statusNote?: string;
};

/** The form's values as the API takes them: empty texts become null, the position is WGS-84. */
export function bodyOf(values: StationFormValues): CreateStationInput {
  const text = (s: string | undefined) => (s && s.trim() ? s.trim() : null);
  return {
    name: values.name.trim(),
    kind: values.kind,
    unitId: values.unitId,
    operatorName: text(values.operatorName),
    cityCode: values.cityCode,
    address: values.address.trim(),
    lat: values.lat ?? 0,
    lng: values.lng ?? 0,
    coordinateSystem: 'wgs84',
    services: values.services,
    hours: values.hours,
    capacity: values.capacity,
    contactPhone: text(values.contactPhone),
    description: text(values.description),
    status: values.status,
    statusNote: text(values.statusNote),
  };
}

export function initialValuesOf(station: StationDetail | null, unitId: number | null): StationFormValues {
  if (!station) {
    return { name: '', kind: 'outdoor_worker_station', unitId, cityCode: null, address: '', lat: null, lng: null, services: [], hours: defaultHours(), capacity: null, status: 'active' };
  }
  return {
    name: station.name,
    kind: station.kind,
    unitId: station.unitId,
    operatorName: station.operatorName ?? undefined,
    cityCode: station.cityCode,
    address: station.address,
    lat: station.location.lat,
    lng: station.location.lng,
    services: station.services,
    hours: station.hours,
    capacity: station.capacity,
    contactPhone: station.contactPhone ?? undefined,
    description: station.description ?? undefined,
    status: station.status === 'suspended' ? 'suspended' : 'active',
    statusNote: station.statusNote ?? undefined,
  };
}

/** A small map under the position fields: where the point falls among the other stations. */
function PositionPreview({ lat, lng, name }: { lat: number | null; lng: number | null; name: string }) {
  const { t } = useTranslation();
  const layer = useStationsGeojson();
  const placed = typeof lat === 'number' && typeof lng === 'number';
  const highlighted = useMemo(() => (placed ? [{ lat, lng, name: name || t('stations.form.here') }] : []), [placed, lat, lng, name, t]);
  const focus = useMemo(() => (placed ? { lat, lng, spanDegrees: 0.06 } : null), [placed, lat, lng]);
  return <StationMap features={layer.data?.features ?? []} highlighted={highlighted} focus={focus} height={240} testId="station-position-preview" />;
}

type Props = {
  initial: StationFormValues;
  submitting: boolean;
  onSubmit: (body: CreateStationInput) => Promise<unknown>;
};

/** What a station is, who runs it, where it stands, what it offers and when it is open. */
export function StationForm({ initial, submitting, onSubmit }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const names = useStationNames();
  const reportError = useApiErrorReporter();
  const [form] = Form.useForm<StationFormValues>();
  const lat = Form.useWatch('lat', form) ?? null;
  const lng = Form.useWatch('lng', form) ?? null;
  const name = Form.useWatch('name', form) ?? '';
  const status = Form.useWatch('status', form);
  const city = cityCentreOf(initial.cityCode);

  const finish = async (values: StationFormValues) => {
    if (problemsOf(values.hours).length > 0) {
      void message.error(t('stations.hours.invalid'));
      return;
    }
    try {
      await onSubmit(bodyOf(values));
    } catch (error) {
      reportError(error, form);
    }
  };

  return (
    <Form<StationFormValues> form={form} layout="vertical" initialValues={initial} onFinish={(v) => void finish(v)} data-testid="station-form">
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="name" label={t('stations.field.name')} rules={[{ required: true, min: 2, max: 80, message: t('stations.form.nameRule') }]}>
            <Input data-testid="station-name" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="kind" label={t('stations.field.kind')} rules={[{ required: true }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={STATION_KINDS.map((k) => ({ value: k, label: names.kind(k) }))} data-testid="station-kind" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="unitId" label={t('stations.field.unit')} extra={t('stations.form.unitHint')}>
            <StationUnitSelect />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="operatorName" label={t('stations.field.operator')}>
            <Input maxLength={80} data-testid="station-operator" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="cityCode" label={t('stations.field.city')}>
            <CitySelect current={city ? { code: city.code, name: city.zh, nameEn: city.en, province: null } : null} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="address" label={t('stations.field.address')} rules={[{ required: true, min: 2, max: 200, message: t('stations.form.addressRule') }]}>
            <Input data-testid="station-address" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="lat" label={t('stations.field.lat')} rules={[{ required: true, message: t('common.required') }]}>
            <InputNumber min={-90} max={90} step={0.0001} precision={6} style={{ width: '100%' }} data-testid="station-lat" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="lng" label={t('stations.field.lng')} rules={[{ required: true, message: t('common.required') }]}>
            <InputNumber min={-180} max={180} step={0.0001} precision={6} style={{ width: '100%' }} data-testid="station-lng" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label={t('stations.form.preview')} extra={t('stations.form.positionHint')}>
            <PositionPreview lat={lat} lng={lng} name={name} />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="services" label={t('stations.field.services')}>
            <ServicePicker testId="station-services-picker" />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="hours" label={t('stations.field.hours')}>
            <HoursEditor />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="capacity" label={t('stations.field.capacity')}>
            <InputNumber min={0} max={10_000} precision={0} style={{ width: '100%' }} data-testid="station-capacity" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="contactPhone" label={t('stations.field.phone')}>
            <Input maxLength={30} data-testid="station-phone" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="status" label={t('stations.field.status')}>
            <Segmented
              options={[
                { value: 'active', label: t('stations.status.active') },
                { value: 'suspended', label: t('stations.status.suspended') },
              ]}
              data-testid="station-status"
            />
          </Form.Item>
          {status === 'suspended' && (
            <Form.Item name="statusNote" label={t('stations.field.statusNote')}>
              <Input maxLength={200} data-testid="station-status-note" />
            </Form.Item>
          )}
        </Col>
        <Col xs={24}>
          <Form.Item name="description" label={t('stations.field.description')}>
            <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 6 }} />
          </Form.Item>
        </Col>
      </Row>
      <Button type="primary" htmlType="submit" loading={submitting} size="large" data-testid="station-save">
        {t('common.save')}
      </Button>
    </Form>
  );
}
