import { App, Col, Form, Input, InputNumber, Modal, Radio, Row, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { usePlatforms, useUnitDetail } from '../../org/api';
import {
  ACTIVITY_AUDIENCES,
  ACTIVITY_KINDS,
  type Activity,
  type ActivityAudience,
  type ActivityKind,
  type CreateActivityInput,
  useCreateActivity,
  useStationOptions,
  useUpdateActivity,
} from '../api';
import { fromChinaInput, toChinaInput } from '../time';

type Values = {
  kind: ActivityKind;
  title: string;
  description?: string;
  venue: 'station' | 'address';
  stationId?: number;
  address?: string;
  startsAt: string;
  endsAt: string;
  capacity?: number | null;
  audience: ActivityAudience;
  /** 0 stands for "any platform" (a Select cannot hold null). */
  platform: number;
  city: 'unit' | 'any';
  signupOpensAt?: string;
  signupClosesAt?: string;
};

const ANY = 0;

function initialValues(activity: Activity | null, unitPlatformId: number | null): Partial<Values> {
  if (!activity) return { kind: 'health_check', venue: 'station', audience: 'platform_city', platform: unitPlatformId ?? ANY, city: 'unit' };
  return {
    kind: activity.kind,
    title: activity.title,
    description: activity.description ?? undefined,
    venue: activity.stationId !== null ? 'station' : 'address',
    stationId: activity.stationId ?? undefined,
    address: activity.address ?? undefined,
    startsAt: toChinaInput(activity.startsAt),
    endsAt: toChinaInput(activity.endsAt),
    capacity: activity.capacity,
    audience: activity.audience,
    platform: activity.audiencePlatformId ?? ANY,
    city: activity.audienceCityCode === null ? 'any' : 'unit',
    signupOpensAt: toChinaInput(activity.signupOpensAt),
    signupClosesAt: activity.signupClosesAt === activity.startsAt ? '' : toChinaInput(activity.signupClosesAt),
  };
}

type Props = {
  open: boolean;
  onClose: () => void;
  /** The organizing unit of a new activity. */
  unitId: number;
  /** The activity to change; null to organize a new one. */
  activity: Activity | null;
  onSaved: (activity: Activity) => void;
};

/** 活动编辑: kind, title, venue (a station or an address), times in China time, capacity, audience, sign-up window. */
export function ActivityFormModal({ open, onClose, unitId, activity, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const [form] = Form.useForm<Values>();
  const unit = useUnitDetail(activity?.unitId ?? unitId).data;
  const platforms = usePlatforms().data ?? [];
  const [stationSearch, setStationSearch] = useState('');
  const stations = useStationOptions(unit?.id ?? null, unit?.cityCode ?? null, useDebouncedValue(stationSearch, 250));
  const create = useCreateActivity();
  const update = useUpdateActivity(activity?.id ?? 0);
  const venue = Form.useWatch('venue', form);
  const kind = Form.useWatch('kind', form);
  const audience = Form.useWatch('audience', form);

  // A station already chosen stays in the list even when a search would not find it.
  const stationOptions = [
    ...(activity?.stationId && activity.stationName && !(stations.data ?? []).some((s) => s.id === activity.stationId)
      ? [{ value: activity.stationId, label: activity.stationName }]
      : []),
    ...(stations.data ?? []).map((s) => ({ value: s.id, label: `${s.name} · ${s.address}` })),
  ];

  // Only a new venue is sent: an unchanged one keeps its stored address and position. At a new station
  // the server fills in the station's address and position; a typed address has no position.
  const venueFields = (values: Values) => {
    if (values.venue === 'station') {
      return activity && activity.stationId === values.stationId ? {} : { stationId: values.stationId ?? null, address: null, lat: null, lng: null };
    }
    return activity && activity.stationId === null && activity.address === values.address ? {} : { stationId: null, address: values.address ?? null, lat: null, lng: null };
  };

  const submit = async (values: Values) => {
    const startsAt = fromChinaInput(values.startsAt);
    const endsAt = fromChinaInput(values.endsAt);
    if (!startsAt || !endsAt) return;
    const openAudience = values.audience === 'platform_city';
    const body: Omit<CreateActivityInput, 'unitId'> = {
      kind: values.kind,
      title: values.title,
      description: values.description?.trim() ? values.description : null,
      ...venueFields(values),
      startsAt,
      endsAt,
      capacity: values.capacity ?? null,
      audience: values.audience,
      ...(openAudience
        ? {
            audiencePlatformId: values.platform === ANY ? null : values.platform,
            audienceCityCode: values.city === 'any' ? null : (activity?.audienceCityCode ?? unit?.cityCode ?? null),
          }
        : {}),
      signupOpensAt: fromChinaInput(values.signupOpensAt),
      signupClosesAt: fromChinaInput(values.signupClosesAt),
    };
    try {
      const saved = activity ? await update.mutateAsync({ ...body, version: activity.version }) : await create.mutateAsync({ ...body, unitId });
      void message.success(t('common.saved'));
      onSaved(saved);
    } catch (error) {
      reportError(error, form);
    }
  };

  return (
    <Modal
      open={open}
      title={activity ? t('activities.form.editTitle') : t('activities.form.newTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={{ ...({ 'data-testid': 'activity-form-submit' } as object) }}
      width={720}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={initialValues(activity, unit?.platformId ?? null)} onFinish={submit} data-testid="activity-form">
        <Typography.Paragraph type="secondary">{t('activities.form.organizer', { name: activity?.unitName ?? unit?.name ?? '' })}</Typography.Paragraph>
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="kind" label={t('activities.field.kind')} rules={[{ required: true, message: t('common.required') }]}>
              <Select data-testid="activity-kind" options={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`activities.kind.${k}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="title" label={t('activities.field.title')} rules={[{ required: true, min: 2, max: 120, message: t('activities.form.titleRule') }]}>
              <Input data-testid="activity-title" maxLength={120} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="description" label={t('activities.field.description')}>
          <Input.TextArea rows={3} maxLength={4000} data-testid="activity-description" />
        </Form.Item>
        <Form.Item name="venue" label={t('activities.field.venue')}>
          <Radio.Group
            data-testid="activity-venue"
            options={[
              { value: 'station', label: t('activities.form.atStation') },
              { value: 'address', label: t('activities.form.atAddress') },
            ]}
          />
        </Form.Item>
        {venue === 'address' ? (
          <Form.Item name="address" label={t('activities.field.address')} rules={[{ required: true, min: 2, message: t('common.required') }]}>
            <Input data-testid="activity-address" maxLength={300} />
          </Form.Item>
        ) : (
          <Form.Item name="stationId" label={t('activities.field.station')} extra={t('activities.form.stationHint')} rules={[{ required: true, message: t('common.required') }]}>
            <Select<number>
              data-testid="activity-station"
              showSearch={{ filterOption: false, onSearch: setStationSearch }}
              loading={stations.isFetching}
              options={stationOptions}
              placeholder={t('activities.form.stationPlaceholder')}
              notFoundContent={t('activities.form.noStations')}
            />
          </Form.Item>
        )}
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="startsAt" label={t('activities.field.startsAt')} rules={[{ required: true, message: t('common.required') }]}>
              <Input type="datetime-local" data-testid="activity-starts" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="endsAt" label={t('activities.field.endsAt')} rules={[{ required: true, message: t('common.required') }]}>
              <Input type="datetime-local" data-testid="activity-ends" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="capacity" label={t('activities.field.capacity')} extra={t('activities.form.capacityHint')}>
          <InputNumber min={1} max={100_000} precision={0} style={{ width: 160 }} data-testid="activity-capacity" />
        </Form.Item>
        <Form.Item name="audience" label={t('activities.field.audience')} extra={t('activities.form.audienceHint')}>
          <Radio.Group
            data-testid="activity-audience"
            options={ACTIVITY_AUDIENCES.map((a) => ({
              value: a,
              label: t(`activities.audience.${a}`),
              // Only branch meetings may be closed to non-members: services never depend on affiliation.
              disabled: a === 'members_only' && kind !== 'branch_meeting',
            }))}
          />
        </Form.Item>
        {audience === 'platform_city' && (
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item name="platform" label={t('activities.field.audiencePlatform')}>
                <Select options={[{ value: ANY, label: t('activities.form.anyPlatform') }, ...platforms.map((p) => ({ value: p.id, label: p.name }))]} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="city" label={t('activities.field.audienceCity')}>
                <Radio.Group
                  options={[
                    { value: 'unit', label: unit?.city?.name ?? t('activities.form.unitCity') },
                    { value: 'any', label: t('activities.form.anyCity') },
                  ]}
                />
              </Form.Item>
            </Col>
          </Row>
        )}
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="signupOpensAt" label={t('activities.field.signupOpensAt')} extra={t('activities.form.opensHint')}>
              <Input type="datetime-local" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="signupClosesAt" label={t('activities.field.signupClosesAt')} extra={t('activities.form.closesHint')}>
              <Input type="datetime-local" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
