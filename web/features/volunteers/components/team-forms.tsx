import { Form, Input, Radio } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { chinaToday } from '../../../lib/format';
import { FormModal } from '../../org/components/form-modal';
import { UnitPicker } from '../../org/components/unit-picker';
import { type CreateTeamInput, type TeamDetail, useAddToRoster, useCloseTeam, useCreateTeam, useUpdateTeam } from '../api';
import { PersonSelect } from './person-select';

type ModalProps = { open: boolean; onClose: () => void };

/** Founding a team: a unit, a name, and a member to lead it (volunteers need not be members). */
export function CreateTeamModal({ open, onClose, onCreated }: ModalProps & { onCreated: (id: number) => void }) {
  const { t } = useTranslation();
  const create = useCreateTeam();
  const [unitId, setUnitId] = useState<number | undefined>();
  return (
    <FormModal<CreateTeamInput>
      open={open}
      title={t('volunteers.team.create')}
      onClose={onClose}
      submitting={create.isPending}
      initialValues={{ foundedOn: chinaToday() }}
      onSubmit={async (values) => {
        const team = await create.mutateAsync({ ...values, description: values.description?.trim() || undefined });
        onCreated(team.id);
      }}
    >
      <Form.Item name="unitId" label={t('volunteers.field.unit')} rules={[{ required: true, message: t('common.required') }]}>
        <UnitPicker onChange={(id) => setUnitId(id)} />
      </Form.Item>
      <Form.Item name="name" label={t('volunteers.field.teamName')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 80 }]}>
        <Input maxLength={80} placeholder={t('volunteers.team.namePlaceholder')} data-testid="team-name-input" />
      </Form.Item>
      <Form.Item name="leaderMemberId" label={t('volunteers.field.leader')} extra={t('volunteers.team.leaderHint')} rules={[{ required: true, message: t('common.required') }]}>
        <PersonSelect kind="member" unitId={unitId} testId="team-leader-select" />
      </Form.Item>
      <Form.Item name="description" label={t('volunteers.field.description')} rules={[{ max: 2000 }]}>
        <Input.TextArea rows={3} maxLength={2000} data-testid="team-description-input" />
      </Form.Item>
      <Form.Item name="foundedOn" label={t('volunteers.field.foundedOn')}>
        <Input type="date" max={chinaToday()} />
      </Form.Item>
    </FormModal>
  );
}

export function EditTeamModal({ open, onClose, team }: ModalProps & { team: TeamDetail }) {
  const { t } = useTranslation();
  const update = useUpdateTeam(team.id);
  return (
    <FormModal<{ name: string; description: string }>
      open={open}
      title={t('volunteers.team.edit')}
      onClose={onClose}
      submitting={update.isPending}
      initialValues={{ name: team.name, description: team.description ?? '' }}
      onSubmit={async (values) => void (await update.mutateAsync({ name: values.name.trim(), description: values.description.trim() || null }))}
    >
      <Form.Item name="name" label={t('volunteers.field.teamName')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 80 }]}>
        <Input maxLength={80} />
      </Form.Item>
      <Form.Item name="description" label={t('volunteers.field.description')} rules={[{ max: 2000 }]}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}

export function CloseTeamModal({ open, onClose, team }: ModalProps & { team: TeamDetail }) {
  const { t } = useTranslation();
  const close = useCloseTeam(team.id);
  return (
    <FormModal<{ closedOn: string; reason: string }>
      open={open}
      title={t('volunteers.team.closeTitle', { name: team.name })}
      onClose={onClose}
      submitting={close.isPending}
      danger
      initialValues={{ closedOn: chinaToday() }}
      onSubmit={async (values) => void (await close.mutateAsync({ closedOn: values.closedOn, reason: values.reason.trim() }))}
    >
      <Form.Item name="closedOn" label={t('volunteers.field.closedOn')} rules={[{ required: true, message: t('common.required') }]}>
        <Input type="date" max={chinaToday()} />
      </Form.Item>
      <Form.Item name="reason" label={t('volunteers.records.reason')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 500 }]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}

/** Staff put a worker or a member on the roster; the server refuses someone already on it. */
export function AddToRosterModal({ open, onClose, team }: ModalProps & { team: TeamDetail }) {
  const { t } = useTranslation();
  const add = useAddToRoster(team.id);
  const [kind, setKind] = useState<'worker' | 'member'>('worker');
  return (
    <FormModal<{ personId: number; joinedOn: string }>
      open={open}
      title={t('volunteers.roster.add')}
      onClose={onClose}
      submitting={add.isPending}
      initialValues={{ joinedOn: chinaToday() }}
      onSubmit={async (values) =>
        void (await add.mutateAsync({ ...(kind === 'worker' ? { workerId: values.personId } : { memberId: values.personId }), role: 'volunteer', joinedOn: values.joinedOn }))
      }
    >
      <Form.Item label={t('volunteers.roster.kind')}>
        <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as 'worker' | 'member')} optionType="button">
          <Radio.Button value="worker">{t('volunteers.roster.kindWorker')}</Radio.Button>
          <Radio.Button value="member">{t('volunteers.roster.kindMember')}</Radio.Button>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="personId" label={t('volunteers.roster.person')} rules={[{ required: true, message: t('common.required') }]}>
        <PersonSelect key={kind} kind={kind} unitId={team.unitId} testId="roster-person-select" />
      </Form.Item>
      <Form.Item name="joinedOn" label={t('volunteers.field.joinedOn')}>
        <Input type="date" max={chinaToday()} />
      </Form.Item>
    </FormModal>
  );
}
