import { Checkbox, Form, Input, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { chinaToday } from '../../../lib/format';
import { FormModal } from '../../org/components/form-modal';
import { UnitPicker } from '../../org/components/unit-picker';
import { type CreatePostInput, type PostDetail, VANGUARD_KINDS, useAssignHolder, useCreatePost, useEndPost } from '../api';
import { PersonSelect } from './person-select';

type ModalProps = { open: boolean; onClose: () => void };

/** A new vanguard post of a unit, optionally with its first holder (a member). */
export function CreatePostModal({ open, onClose }: ModalProps) {
  const { t } = useTranslation();
  const create = useCreatePost();
  const [unitId, setUnitId] = useState<number | undefined>();
  return (
    <FormModal<CreatePostInput>
      open={open}
      title={t('volunteers.post.create')}
      onClose={onClose}
      submitting={create.isPending}
      initialValues={{ kind: 'safety', fromDate: chinaToday() }}
      onSubmit={async (values) => void (await create.mutateAsync({ ...values, toDate: values.toDate || undefined }))}
    >
      <Form.Item name="unitId" label={t('volunteers.field.unit')} rules={[{ required: true, message: t('common.required') }]}>
        <UnitPicker onChange={(id) => setUnitId(id)} />
      </Form.Item>
      <Form.Item name="title" label={t('volunteers.field.postTitle')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 80 }]}>
        <Input maxLength={80} placeholder={t('volunteers.post.titlePlaceholder')} data-testid="post-title-input" />
      </Form.Item>
      <Form.Item name="kind" label={t('volunteers.field.kind')} rules={[{ required: true }]}>
        <Select options={VANGUARD_KINDS.map((k) => ({ value: k, label: t(`volunteers.kind.${k}`) }))} />
      </Form.Item>
      <Form.Item name="duties" label={t('volunteers.field.duties')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 2000 }]}>
        <Input.TextArea rows={3} maxLength={2000} data-testid="post-duties-input" />
      </Form.Item>
      <Form.Item name="holderMemberId" label={t('volunteers.field.holder')} extra={t('volunteers.post.holderHint')}>
        <PersonSelect kind="member" unitId={unitId} testId="post-holder-select" />
      </Form.Item>
      <Form.Item name="fromDate" label={t('volunteers.field.fromDate')}>
        <Input type="date" data-testid="post-from-input" />
      </Form.Item>
      <Form.Item name="toDate" label={t('volunteers.field.toDate')}>
        <Input type="date" />
      </Form.Item>
    </FormModal>
  );
}

/** A new holder from a date: an open-ended current holder hands over the day before; other overlaps are refused. */
export function AssignHolderModal({ open, onClose, post }: ModalProps & { post: PostDetail }) {
  const { t } = useTranslation();
  const assign = useAssignHolder(post.id);
  return (
    <FormModal<{ memberId: number; fromDate: string; toDate?: string }>
      open={open}
      title={t('volunteers.post.assignTitle', { title: post.title })}
      onClose={onClose}
      submitting={assign.isPending}
      initialValues={{ fromDate: chinaToday() }}
      onSubmit={async (values) => void (await assign.mutateAsync({ memberId: values.memberId, fromDate: values.fromDate, toDate: values.toDate || undefined }))}
    >
      <Form.Item name="memberId" label={t('volunteers.field.holder')} rules={[{ required: true, message: t('common.required') }]}>
        <PersonSelect kind="member" unitId={post.unitId} testId="assign-holder-select" />
      </Form.Item>
      <Form.Item name="fromDate" label={t('volunteers.field.fromDate')} extra={t('volunteers.post.handOverHint')}>
        <Input type="date" />
      </Form.Item>
      <Form.Item name="toDate" label={t('volunteers.field.toDate')}>
        <Input type="date" />
      </Form.Item>
    </FormModal>
  );
}

/** Ends the current holder's term; ticking "retire" closes the post itself as well. */
export function EndPostModal({ open, onClose, post }: ModalProps & { post: PostDetail }) {
  const { t } = useTranslation();
  const end = useEndPost(post.id);
  return (
    <FormModal<{ toDate: string; reason?: string; closePost: boolean }>
      open={open}
      title={t('volunteers.post.endTitle', { title: post.title })}
      onClose={onClose}
      submitting={end.isPending}
      danger
      initialValues={{ toDate: chinaToday(), closePost: !post.held }}
      onSubmit={async (values) => void (await end.mutateAsync({ toDate: values.toDate, reason: values.reason?.trim() || undefined, closePost: values.closePost }))}
    >
      <Form.Item name="toDate" label={t('volunteers.post.lastDay')} rules={[{ required: true, message: t('common.required') }]}>
        <Input type="date" max={chinaToday()} />
      </Form.Item>
      <Form.Item name="reason" label={t('volunteers.records.reason')} rules={[{ max: 500 }]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Form.Item name="closePost" valuePropName="checked">
        <Checkbox>{t('volunteers.post.retire')}</Checkbox>
      </Form.Item>
    </FormModal>
  );
}
